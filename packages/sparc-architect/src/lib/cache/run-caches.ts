import { toErrorInfo } from '@sparc/batch-core/dist/lib/errors';
import type { BuildGraphOptions } from '../graph/build-graph';
import type { GraphAnalysis } from '../graph/graph-analysis';
import type { Resolver } from '../resolve/resolver';
import { AnalysisCache } from './analysis-cache';
import { ParseCache } from './parse-cache';
import { ResolutionCache, resolutionContext } from './resolution-cache';
import { TextCache } from './text-cache';

/** What buildGraph needs to reuse the last run's resolutions and record this run's (see `RunCaches.resolutionReuse`). */
export interface ResolutionReuse extends Required<Pick<BuildGraphOptions, 'cached' | 'record'>> {
  /** Files whose resolutions came from the cache so far. */
  readonly reused: number;
  /** Writes what the run resolved, once the graph is built (a failure becomes one of `RunCaches.problems`). */
  save(): Promise<void>;
}

/** A cache the run could not write (`cache` names it, e.g. "parse"), and why. */
export interface CacheProblem {
  cache: string;
  reason: string;
}

/**
 * The caches of a run that keeps them under `.sparc/cache/architect/`. A run without them never
 * loads this module, nor the file formats behind it.
 */
export class RunCaches {
  /**
   * Caches this run could not write, worded for the user. A cache only saves time: failing to write
   * one (a read-only or full disk, a file where its folder should be) must not fail the analysis.
   */
  readonly problems: CacheProblem[] = [];

  private constructor(
    readonly parse: ParseCache,
    readonly resolutions: ResolutionCache,
    readonly analysis: AnalysisCache,
    /** The graph part of the JSON artifact of the last run. */
    readonly render: TextCache,
  ) {}

  /** Reads every cache at once (off the main thread, so a run starts it before listing the files). */
  static async open(root: string, renderFile: string): Promise<RunCaches> {
    const [parse, resolutions, analysis, render] = await Promise.all([ParseCache.open(root, true), ResolutionCache.open(root, true), AnalysisCache.open(root, true), TextCache.open(root, renderFile, true)]);
    const caches = new RunCaches(parse, resolutions, analysis, render);
    render.onWriteError = (error) => caches.#noteWriteError('rendered graph', error);
    return caches;
  }

  /** Writes the parse cache; like every save here, a failure becomes one of `problems`. */
  saveParse(): Promise<void> {
    return this.#keep('parse', () => this.parse.save());
  }

  saveAnalysis(key: string, analysis: GraphAnalysis, modules: readonly string[]): Promise<void> {
    return this.#keep('analysis', () => this.analysis.save(key, analysis, modules));
  }

  async #keep(cache: string, save: () => Promise<void>): Promise<void> {
    try {
      await save();
    } catch (error) {
      this.#noteWriteError(cache, error);
    }
  }

  #noteWriteError(cache: string, error: unknown): void {
    this.problems.push({ cache, reason: toErrorInfo(error).message });
  }

  /**
   * Readies the resolution cache for this run's modules. A file's resolutions are reused when its
   * content (parse cache key) and everything they relied on are unchanged; the others are recorded.
   */
  resolutionReuse(root: string, options: { tsconfig?: string; workspaces: boolean }, modules: readonly string[], resolver: Resolver): ResolutionReuse {
    const { parse, resolutions } = this;
    const context = resolutionContext(options, modules, resolver);
    resolutions.prepare(root, context, modules);
    const reuse: ResolutionReuse & { reused: number } = {
      reused: 0,
      cached: (file, index) => {
        const known = resolutions.get(index, parse.keyOf(file));
        if (known !== undefined) reuse.reused++;
        return known;
      },
      record: (file, index, imports, list, targets) => resolutions.record(index, parse.keyOf(file), imports, list, targets),
      save: () => this.#keep('resolution', () => resolutions.save(context, resolver)),
    };
    return reuse;
  }
}
