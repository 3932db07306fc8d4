// @sparc/architect — the public API. Everything else under lib/ is internal.

export { architectMode } from './lib/mode';
export { architectOptionsSchema, REPORT_FORMATS, type ArchitectOptions } from './lib/options';
export { architectDataSchema, type ArchitectData } from './lib/data';
export { toData } from './lib/to-data';
export { ArchitectError, type ArchitectErrorCode } from './lib/errors';
export { ARCHITECT_RULES, buildFindings } from './lib/findings';

// The analysis as a library
export {
  analyzeArchitecture,
  componentFor,
  edgeCounts,
  type AnalyzeOptions,
  type AnalyzeRuntime,
  type ArchitectureAnalysis,
  type ComponentInfo,
  type TypeEdges,
} from './lib/analyze';
export { discoverFiles, DEFAULT_EXCLUDED_DIRS, type DiscoverOptions, type DiscoveredFile } from './lib/discovery/discover';
export { scanSource, ScanBailout } from './lib/parse/scan';
export { parseFiles, type ParseFilesOptions, type ParseFilesResult, type ParseFilesStats } from './lib/parse/parse-files';
export { PARSER_VERSION, contentHash, type ParserChoice } from './lib/parse/parse-source';
export { chunkByBytes, chunkCountFor } from './lib/parse/chunks';
export { IMPORT_KINDS, FLAG_ELIDED, FLAG_TYPE_ONLY, langOf, unpackImport, type ImportKind, type ImportRecord, type PackedImport, type ParsedSource, type SourceLang } from './lib/parse/types';
export { ParseCache, CACHE_DIR, type CacheStats } from './lib/cache/parse-cache';
export { Resolver, type Resolution, type ResolutionVia, type ResolverOptions } from './lib/resolve/resolver';
export { splitPackageSpecifier } from './lib/resolve/specifiers';
export { loadTsconfig, type TsconfigInfo } from './lib/resolve/tsconfig';
export { findWorkspacePackages, type WorkspacePackage } from './lib/resolve/workspaces';
export { mapSubpath } from './lib/resolve/package-json';
export { parseJsonc } from './lib/resolve/jsonc';
export { adjacency, buildGraph, importLine, EDGE_RUNTIME, EDGE_WORKSPACE, type Adjacency, type ImportGraph } from './lib/graph/build-graph';
export { stronglyConnectedComponents } from './lib/graph/scc';
export { countElementaryCycles, cycleExamples, type CycleCount } from './lib/graph/cycles';
export { componentMetrics, moduleMetrics, type ComponentMetrics, type ModuleMetrics } from './lib/graph/metrics';
export { checkRules, loadRules, parseRules, type ForbiddenRule, type RulesFile, type Violation } from './lib/rules/rules';
export { rulesFileSchema } from './lib/rules/rules-schema';
export { planModules, type PlannedModuleInput, type PlannedModuleReport } from './lib/plan/planned';
export { renderMarkdown } from './lib/report/markdown';
export { componentDiagram, cycleDiagram } from './lib/report/mermaid';
export { moduleDot } from './lib/report/dot';
export { graphJson } from './lib/report/graph-json';
