import { performance } from 'node:perf_hooks';
import type { ModeContext } from '@sparc/batch-core';
import { workerPath } from '../worker-path';
import { collectFiles, type CollectOptions } from './collect-files';
import { declarationKey, ExportGraph, type ExportedDeclaration } from './export-graph';
import type { ExtractRequest, FileFacts } from './facts';
import { findWorkspacePackages } from './packages';
import { ModuleResolver } from './resolve';

export type ScanContext = Pick<ModeContext, 'workspace' | 'pool' | 'signal' | 'progress'>;

export interface UntestedExport {
  file: string;
  name: string;
  line: number;
}

export interface ModuleCoverage {
  file: string;
  exports: number;
  untested: number;
}

export interface ScanReport {
  exports: number;
  tested: number;
  untested: UntestedExport[];
  modules: ModuleCoverage[];
  sourceFiles: number;
  testFiles: number;
  parseErrors: Array<{ file: string; message: string }>;
  /** Every exported declaration with what it is; `generate` writes its todos from these. */
  declarations: Array<ExportedDeclaration & { tested: boolean }>;
  durationMs: number;
}

/** Files per worker task: enough that a task outweighs its messaging, few enough to spread over the threads. */
const MIN_CHUNK = 8;
const CHUNKS_PER_THREAD = 4;

/**
 * Finds the exported functions, classes and constants no test file imports: parses every file in
 * the worker pool, follows re-exports through barrels to their declarations, and marks what each
 * test file's imports reach.
 */
export async function scanWorkspace(ctx: ScanContext, options: CollectOptions & { detail?: boolean }): Promise<ScanReport> {
  const started = performance.now();
  const [files, packages] = await Promise.all([collectFiles(ctx.workspace, options), findWorkspacePackages(ctx.workspace)]);
  ctx.progress(`parsing ${files.sources.length} source and ${files.tests.length} test files`);
  const facts = await extractAll(ctx, options.detail === true, [...files.sources.map((file) => ({ file, test: false })), ...files.tests.map((file) => ({ file, test: true }))]);

  const byFile = new Map(facts.map((f) => [f.file, f]));
  const testFiles = new Set(files.tests);
  const resolver = new ModuleResolver(byFile.keys(), packages);
  const graph = new ExportGraph(byFile, resolver);

  const tested = new Set<string>();
  for (const testFile of files.tests) {
    for (const fact of byFile.get(testFile)?.imports ?? []) {
      const target = resolver.resolve(testFile, fact.from);
      if (target === undefined || testFiles.has(target)) continue;
      const keys = fact.names === 'all' ? graph.everyDeclarationOf(target) : fact.names.flatMap((name) => graph.declarationsOf(target, name));
      for (const key of keys) tested.add(key);
    }
  }

  const declarations: ScanReport['declarations'] = [];
  const modules: ModuleCoverage[] = [];
  for (const file of files.sources) {
    const own = (byFile.get(file)?.exports ?? []).filter((e) => e.type === 'local');
    if (own.length === 0) continue;
    let untested = 0;
    for (const local of own) {
      const isTested = tested.has(declarationKey(file, local.name));
      if (!isTested) untested++;
      declarations.push({ ...local, file, tested: isTested });
    }
    modules.push({ file, exports: own.length, untested });
  }
  const untested = declarations.filter((d) => !d.tested).map(({ file, name, line }) => ({ file, name, line }));
  return {
    exports: declarations.length,
    tested: declarations.length - untested.length,
    untested,
    modules,
    sourceFiles: files.sources.length,
    testFiles: files.tests.length,
    parseErrors: facts.flatMap((f) => f.errors.map((message) => ({ file: f.file, message }))),
    declarations,
    durationMs: performance.now() - started,
  };
}

async function extractAll(ctx: ScanContext, detail: boolean, files: ExtractRequest['files']): Promise<FileFacts[]> {
  if (files.length === 0) return [];
  const pool = ctx.pool();
  const module = workerPath('scan-worker');
  const chunkCount = Math.max(1, Math.min(Math.ceil(files.length / MIN_CHUNK), pool.maxThreads * CHUNKS_PER_THREAD));
  const chunkSize = Math.ceil(files.length / chunkCount);
  const chunks: ExtractRequest['files'][] = [];
  for (let i = 0; i < files.length; i += chunkSize) chunks.push(files.slice(i, i + chunkSize));
  const results = await Promise.all(
    chunks.map((chunk) => pool.run<FileFacts[]>({ module, exportName: 'extractFileFacts', payload: { root: ctx.workspace.root, detail, files: chunk } satisfies ExtractRequest }, { signal: ctx.signal })),
  );
  return results.flat();
}
