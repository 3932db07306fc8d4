import { z } from 'zod';

/** How a suite is given in `tdd.suites` of sparc.config: a folder, a jest config file or a command line, or all spelled out. */
export const suiteEntrySchema = z.union([
  z.string().min(1),
  z
    .object({
      cwd: z.string().optional().describe('Folder the suite runs in, relative to the workspace'),
      config: z.string().optional().describe('Jest config file, relative to cwd'),
      args: z.array(z.string()).optional().describe('Extra jest arguments (test paths, --selectProjects ...)'),
      command: z.string().optional().describe('A command line to run instead of jest'),
    })
    .strict(),
]);
export type SuiteEntry = z.infer<typeof suiteEntrySchema>;

export const suitesConfigSchema = z.record(z.string().regex(/^[\w.-]+$/, 'suite names are letters, digits, ".", "_" or "-"'), suiteEntrySchema);

/** Where a suite came from, so the report can say why it ran. */
export type SuiteSource = 'option' | 'config' | 'jest-projects' | 'jest-config' | 'nx-project' | 'package-script';

/** A suite ready to run: jest (with our reporting flags) or a plain command judged by its exit code. */
export type Suite =
  | { kind: 'jest'; name: string; cwd: string; config?: string; args: string[]; source: SuiteSource }
  | { kind: 'command'; name: string; cwd: string; command: string; source: SuiteSource };

const JEST_CONFIG = /(^|\/)jest\.config\.(js|cjs|mjs|ts|cts|mts|json)$/;

/** A command line's words, with simple single and double quotes. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(line); match !== null; match = pattern.exec(line)) words.push(match[1] ?? match[2] ?? match[3]);
  return words;
}

/**
 * A command line that only runs jest (`jest ...`, `npx jest ...`) becomes a jest suite, so it gets
 * the JSON report and the worker cap; anything else stays a command.
 */
export function jestArgsOf(commandLine: string): string[] | undefined {
  const words = splitCommandLine(commandLine);
  if (/[|&;<>`$]/.test(commandLine)) return undefined;
  const start = words[0] === 'npx' ? 1 : 0;
  const program = words[start] ?? '';
  if (program !== 'jest' && !/(^|\/)jest(\.js)?$/.test(program)) return undefined;
  return words.slice(start + 1);
}

/** Turns one `tdd.suites` entry into a suite; `isDir`/`isFile` look at the workspace. */
export function suiteFromEntry(name: string, entry: SuiteEntry, source: SuiteSource, probe: { isDir(p: string): boolean; isFile(p: string): boolean }): Suite {
  if (typeof entry !== 'string') {
    const cwd = normalizeDir(entry.cwd ?? '.');
    if (entry.command !== undefined) {
      const args = jestArgsOf(entry.command);
      return args ? { kind: 'jest', name, cwd, config: entry.config, args: [...args, ...(entry.args ?? [])], source } : { kind: 'command', name, cwd, command: entry.command, source };
    }
    return { kind: 'jest', name, cwd, config: entry.config, args: entry.args ?? [], source };
  }
  const value = entry.trim();
  if (probe.isDir(value)) return { kind: 'jest', name, cwd: normalizeDir(value), args: [], source };
  if (probe.isFile(value) && (JEST_CONFIG.test(value) || value.endsWith('.json'))) {
    const slash = value.lastIndexOf('/');
    return { kind: 'jest', name, cwd: slash === -1 ? '' : normalizeDir(value.slice(0, slash)), config: value.slice(slash + 1), args: [], source };
  }
  const args = jestArgsOf(value);
  return args ? { kind: 'jest', name, cwd: '', args, source } : { kind: 'command', name, cwd: '', command: value, source };
}

function normalizeDir(dir: string): string {
  const trimmed = dir.replace(/\\/g, '/').replace(/^\.\/?/, '').replace(/\/+$/, '');
  return trimmed === '.' ? '' : trimmed;
}

/** The command line a suite runs, for reports. */
export function describeSuite(suite: Suite): string {
  const where = suite.cwd === '' ? '' : ` (in ${suite.cwd})`;
  if (suite.kind === 'command') return `${suite.command}${where}`;
  return `jest${suite.config ? ` --config ${suite.config}` : ''}${suite.args.length > 0 ? ` ${suite.args.join(' ')}` : ''}${where}`;
}
