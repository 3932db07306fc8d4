/**
 * A parent process for exec tests: starts `sh -c <script>` through runProcess in <dir>, waits for
 * <dir>/ready, prints "ready", then either exits (`exit`) or waits to be signalled (`wait`).
 * Usage: node -r ts-node/register/transpile-only exec-parent.ts <dir> <exit|wait> <script>
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { runProcess } from '../exec-process';

const [dir, mode, script] = process.argv.slice(2);
const controller = new AbortController();
runProcess(
  { command: 'sh', args: ['-c', script], cwd: dir, env: process.env, shell: false, maxOutputBytes: 1024, killGraceMs: 2000 },
  controller.signal,
).catch(() => undefined);

const poll = setInterval(() => {
  if (!existsSync(path.join(dir, 'ready'))) return;
  clearInterval(poll);
  process.stdout.write('ready\n');
  if (mode === 'exit') process.exit(0);
}, 10);
