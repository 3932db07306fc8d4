// @sparc/tdd — the public API.

export { tddMode } from './lib/mode';
export { TddError, type TddErrorCode } from './lib/errors';

// Scan
export { scanWorkspace, type ScanContext, type ScanReport, type UntestedExport, type ModuleCoverage } from './lib/scan/scan';
export { DEFAULT_EXCLUDE, DEFAULT_INCLUDE, DEFAULT_TEST_PATTERNS } from './lib/scan/patterns';
export type { FileFacts, ExportFact, ImportFact, DeclarationKind } from './lib/scan/facts';
export { scanData, scanOptions, type ScanData, type ScanOptions } from './lib/commands/scan-command';

// Generate
export { generateTests, type GenerateOptions, type GenerateReport, type GeneratedFile } from './lib/generate/generate';
export { renderEntityAcceptanceTest } from './lib/generate/spec-tests';
export { derivedCheckFor, type DerivedCheck } from './lib/generate/criteria';
export { generateData, generateOptions, type GenerateData } from './lib/commands/generate-command';

// Run
export { runSuites, workerShare, type RunReport, type SuiteResult, type SuiteStatus, type RunTotals } from './lib/run/run-suites';
export { discoverSuites } from './lib/run/discover';
export type { Suite } from './lib/run/suites';
export { summarizeJestReport, type TestFailure, type CrashedFile } from './lib/run/jest-report';
export { runData, runOptions, type RunData } from './lib/commands/run-command';

// Coverage
export { analyzeCoverage, readCoverageFiles, type CoverageReport, type RankedModule } from './lib/coverage/coverage';
export { coverageData, coverageOptions, type CoverageData } from './lib/commands/coverage-command';

// Red-green
export { redGreen, type RedGreenReport, type RedGreenVerdict } from './lib/red-green/red-green';
export { redGreenData, redGreenOptions, type RedGreenData } from './lib/commands/red-green-command';
