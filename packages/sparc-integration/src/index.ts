// @sparc/integration — the public API. Everything else under lib/ is internal.

export { integrationMode } from './lib/mode';

// Options and data of the mode's commands
export { checkOptionsSchema, waitOptionsSchema, type CheckOptions, type WaitOptions } from './lib/check/options';
export { checkDataSchema, waitDataSchema, type CheckData, type WaitData } from './lib/check/data';
export { runCheck } from './lib/check/run-check';
export { runWait } from './lib/wait/run-wait';
export { INTEGRATION_RULES } from './lib/check/findings';

// Services manifest
export { ManifestSchema, parseManifest, loadManifestFile, checkServices, type Manifest } from './lib/manifest/manifest';
export { findDependencyCycle, runInDependencyOrder } from './lib/manifest/start-order';

// Processes, readiness and waiting
export { ServiceProcess, type ServiceProcessSpec, type StopOutcome, type ProcessExit } from './lib/process/service-process';
export { waitUntilHealthy, type ReadinessOptions, type ReadinessOutcome } from './lib/health/readiness';
export { parseResource, type Resource } from './lib/wait/resource';
export { waitForResources, type ResourceWaitResult } from './lib/wait/wait-for-resources';

// Contracts
export { Contract, type OperationMatch, type ResponseSpec } from './lib/contract/contract';
export { LocalRefResolver } from './lib/contract/dereference';
export { toJsonSchema, type OpenApiVersion } from './lib/contract/openapi-schema';
export { checkResponse, type ProbeRequest, type ProbeResponse, type ResponseCheck } from './lib/contract/check-response';
export type { Violation } from './lib/contract/violation';

// Probes, environment, report
export { runProbes, type ProbeResult, type EndpointLatency, type ProbeTarget } from './lib/probes/run-probes';
export { percentile } from './lib/probes/percentiles';
export { checkEnvironment, type EnvConsistency } from './lib/env/env-consistency';
export { parseDotenv } from './lib/env/dotenv';
export { renderMarkdown } from './lib/report/markdown';

export { ManifestError, ContractDocumentError, ResourceSpecError, ServiceStartError } from './lib/errors';
