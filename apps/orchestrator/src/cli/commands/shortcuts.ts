import type { Command } from '../context';
import { runModeCli } from './mode';

/** `sparc architect ...` is `sparc mode architect ...`; a few shortcuts are shorter than the mode's name. */
const SHORTCUTS: ReadonlyArray<{ name: string; mode: string; summary: string }> = [
  { name: 'architect', mode: 'architect', summary: 'import graph, cycles, coupling and diagrams (mode architect)' },
  { name: 'code', mode: 'code', summary: 'generators and codemods, atomic (mode code)' },
  { name: 'tdd', mode: 'tdd', summary: 'untested exports, tests first, suites in parallel, coverage (mode tdd)' },
  { name: 'integration', mode: 'integration', summary: 'start services, wait for health, check contracts (mode integration)' },
  { name: 'spec', mode: 'spec', summary: 'check the spec: completeness, consistency, testability (mode spec)' },
  { name: 'debug', mode: 'debug', summary: 'run the suites, map failures, tell flaky from failing (mode debug)' },
  { name: 'security', mode: 'security-review', summary: 'secrets, dangerous sinks, env usage, oversize files (mode security-review)' },
  { name: 'optimize', mode: 'optimization', summary: 'size, complexity, cycles and split candidates (mode optimization)' },
];

function shortcut({ name, mode, summary }: (typeof SHORTCUTS)[number]): Command {
  const help = `Usage: sparc ${name} [COMMAND] [options]\n\nShortcut for "sparc mode ${mode}": ${summary}.\nRun "sparc ${name} --help" inside a workspace to list the mode's commands and options.\n`;
  return {
    name,
    synopsis: `${name} ...`,
    summary,
    help,
    run: (argv, ctx) => runModeCli([mode, ...argv], ctx, { invokedAs: name, dataAtTopLevel: true }),
  };
}

export const shortcutCommands: readonly Command[] = SHORTCUTS.map(shortcut);
