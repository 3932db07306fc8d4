// @sparc/batch-core — the public API. Everything else under lib/ is internal.

export {
  SparcError,
  ValidationError,
  DependencyCycleError,
  UnknownDependencyError,
  UnknownOperationTypeError,
  PathOutsideWorkspaceError,
  ConflictError,
  TimeoutError,
  CancelledError,
  CircuitOpenError,
  OperationError,
  isRetryable,
  toErrorInfo,
  type ErrorInfo,
  type ValidationIssue,
} from './lib/errors';

// Operations and the engine
export type {
  Operation,
  OperationHandler,
  AnyOperationHandler,
  HandlerContext,
  RetryPolicy,
  OperationResult,
  OperationStatus,
  BatchResult,
  BatchStatus,
  BatchMetrics,
} from './lib/operations/types';
export { OperationRegistry, defineHandler } from './lib/operations/registry';
export { builtinHandlers, createDefaultRegistry } from './lib/operations/builtin';
export { batchInputSchema, operationInputSchema, retryPolicySchema, type BatchInput, type OperationInput } from './lib/operations/schema';
export { BatchEngine, type EngineOptions, type RunOptions, type RunRecorder } from './lib/engine/engine';
export { parseBatch, DEFAULT_CONCURRENCY, type ParsedBatch, type PlannedOperation } from './lib/engine/parse-batch';
export { BATCH_EVENT_TYPES, EventChannel, type BatchEvent, type BatchEventType } from './lib/engine/events';

// The seed's primitives
export { parallel, parallelSettled, forEach, type Task, type ParallelOptions, type SettledTask } from './lib/primitives/parallel';
export { batchProcess, type BatchProcessOptions, type BatchProcessSummary } from './lib/primitives/batch-process';
export { pipeline, type PipelineStage, type PipelineStageResult } from './lib/primitives/pipeline';
export { withRetry, type WithRetryOptions } from './lib/resilience/retry';
export { CircuitBreaker, CircuitBreakerRegistry, type CircuitBreakerOptions, type CircuitState } from './lib/resilience/circuit-breaker';
export { abortableDelay, backoffDelay } from './lib/resilience/backoff';

// Workspace and transactions
export { Workspace, type WorkspaceOptions } from './lib/workspace/workspace';
export type { FileStore } from './lib/workspace/file-store';
export { applyEdits, type TextEdit } from './lib/workspace/apply-edits';
export { FileTransaction } from './lib/workspace/transaction';
export type { FileChange, FileChangeKind, CommitOptions, CommitResult, EditResult, TransactionState } from './lib/workspace/transaction-types';
export type { TransactionOptions } from './lib/workspace/transaction-options';
export { CommitError, TransactionClosedError, JournalCorruptError } from './lib/workspace/transaction-errors';
export { recoverJournals, type RecoveryReport, type RecoveredJournal } from './lib/workspace/recovery';
export { unifiedDiff, unifiedDiffs } from './lib/workspace/diff';
export { createFiles, modifyFiles } from './lib/primitives/files';
export type * from './lib/primitives/files';

// Process groups: what exec uses to stop everything a command started; for modes that start long-running services.
export { groupHasLiveMembers, isProcessLive, liveGroupMembers, signalGroup, trackGroup } from './lib/operations/handlers/process-groups';

// Worker pool
export * from './lib/pool';

// Metrics
export * from './lib/metrics';

// Mode contract
export * from './lib/mode';

// Project spec and the naming convention for generated entity modules
export * from './lib/spec';
