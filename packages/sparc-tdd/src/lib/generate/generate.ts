import * as path from 'node:path';
import { entityConvention, findSpecFile, loadSpec, type ModeContext, type SparcSpec } from '@sparc/batch-core';
import { TddError } from '../errors';
import type { CollectOptions } from '../scan/collect-files';
import type { ExportedDeclaration } from '../scan/export-graph';
import { scanWorkspace } from '../scan/scan';
import { renderEntityAcceptanceTest, renderRequirementTodos } from './spec-tests';
import { isTodoFileFor, renderTodoTestFile, todoTestCandidates } from './todo-tests';

export type GenerateSource = 'all' | 'untested' | 'spec';

export interface GenerateOptions {
  from: GenerateSource;
  /** Spec file, workspace-relative; default: the run's spec, else sparc.spec.json|yaml at the root. */
  spec?: string;
  dryRun: boolean;
  scan: CollectOptions;
}

export interface GeneratedFile {
  path: string;
  kind: 'todo' | 'acceptance' | 'requirements';
  /** The module the todos are for, or the entity the acceptance tests are for. */
  subject: string;
  tests: number;
  todos: number;
}

export interface GenerateReport {
  files: GeneratedFile[];
  skipped: Array<{ path: string; reason: string }>;
  dryRun: boolean;
  /** Unified diff of what was (or, in a dry run, would be) written; the command returns it only for dry runs. */
  diff: string;
  untestedExports: number;
  entities: number;
  spec?: string;
}

type GenerateContext = Pick<ModeContext, 'workspace' | 'pool' | 'signal' | 'progress' | 'spec'>;

/**
 * Writes tests first: `it.todo` files for untested exports and real acceptance tests for the spec's
 * entities. Everything is staged in one FileTransaction (a dry run shows its diff and writes
 * nothing); an existing file is never overwritten.
 */
export async function generateTests(ctx: GenerateContext, options: GenerateOptions): Promise<GenerateReport> {
  const txn = ctx.workspace.transaction();
  const report: GenerateReport = { files: [], skipped: [], dryRun: options.dryRun, diff: '', untestedExports: 0, entities: 0 };
  const stage = async (file: GeneratedFile, content: string) => {
    if (await txn.exists(file.path)) {
      report.skipped.push({ path: file.path, reason: 'exists; not overwritten' });
      return;
    }
    await txn.writeFile(file.path, content, { overwrite: false });
    report.files.push({ ...file, tests: countMatches(content, /^\s*it\(/gm), todos: countMatches(content, /^\s*it\.todo\(/gm) });
  };

  try {
    if (options.from !== 'spec') {
      const scan = await scanWorkspace(ctx, { ...options.scan, detail: true });
      const byModule = new Map<string, ExportedDeclaration[]>();
      for (const declaration of scan.declarations) {
        if (declaration.tested) continue;
        report.untestedExports++;
        byModule.set(declaration.file, [...(byModule.get(declaration.file) ?? []), declaration]);
      }
      for (const [moduleFile, declarations] of byModule) {
        const candidates = todoTestCandidates(moduleFile);
        let target: string | undefined;
        let generatedBefore: string | undefined;
        for (const candidate of candidates) {
          if (!(await txn.exists(candidate))) {
            target = candidate;
            break;
          }
          if (isTodoFileFor((await txn.readFile(candidate)).toString('utf8'), moduleFile)) {
            generatedBefore = candidate;
            break;
          }
        }
        if (generatedBefore !== undefined) {
          report.skipped.push({ path: generatedBefore, reason: `already holds the generated todos for ${moduleFile}; not overwritten` });
          continue;
        }
        if (target === undefined) {
          report.skipped.push({ path: candidates[candidates.length - 1], reason: `exists; not overwritten (todos for ${moduleFile} not written)` });
          continue;
        }
        await stage({ path: target, kind: 'todo', subject: moduleFile, tests: 0, todos: 0 }, renderTodoTestFile(moduleFile, target, declarations));
      }
    }

    if (options.from !== 'untested') {
      const loaded = await loadRunSpec(ctx, options.spec, options.from === 'spec');
      if (loaded) {
        report.spec = loaded.source;
        const { spec } = loaded;
        for (const entity of spec.entities) {
          const conv = entityConvention(entity, spec.targets.src);
          const requirements = spec.requirements.filter((r) => r.entity === entity.name);
          report.entities++;
          await stage({ path: conv.files.acceptanceTest, kind: 'acceptance', subject: entity.name, tests: 0, todos: 0 }, renderEntityAcceptanceTest(entity, conv, requirements, loaded.source));
        }
        const general = renderRequirementTodos(spec.requirements.filter((r) => r.entity === undefined), loaded.source);
        if (general !== undefined) {
          const file = path.posix.join(spec.targets.src === '' ? '.' : spec.targets.src, 'requirements.acceptance.test.ts').replace(/^\.\//, '');
          await stage({ path: file, kind: 'requirements', subject: 'requirements without an entity', tests: 0, todos: 0 }, general);
        }
      }
    }

    report.diff = txn.diff();
    if (options.dryRun) txn.rollback();
    else if (report.files.length > 0) await txn.commit();
    else txn.rollback();
    return report;
  } catch (error) {
    if (txn.state === 'open') txn.rollback();
    throw error;
  }
}

/** The spec to generate from: the run's, the `--spec` file, or one found at the root. */
async function loadRunSpec(ctx: GenerateContext, file: string | undefined, required: boolean): Promise<{ spec: SparcSpec; source: string } | undefined> {
  if (file !== undefined) return { spec: await loadSpec(await ctx.workspace.resolveReal(file)), source: ctx.workspace.relative(ctx.workspace.resolve(file)) };
  if (ctx.spec) return { spec: ctx.spec, source: 'the run spec' };
  const found = await findSpecFile(ctx.workspace.root);
  if (found) return { spec: await loadSpec(found), source: ctx.workspace.relative(found) };
  if (required) throw new TddError('TDD_NO_SPEC', 'no spec: pass --spec FILE or add sparc.spec.json (or .yaml) at the workspace root');
  return undefined;
}

function countMatches(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
