import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isProcessLive } from '@sparc/batch-core';
import { waitUntilHealthy } from '../health/readiness';
import { ServiceProcess } from './service-process';

describe('service processes', () => {
  let dir: string;
  const started: ServiceProcess[] = [];
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-proc-'));
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((p) => p.stop(100)));
    await fsp.rm(dir, { recursive: true, force: true });
  });

  const node = JSON.stringify(process.execPath);

  it('stops the whole process group: the shell, the command and its background children', async () => {
    const script = path.join(dir, 'tree.js');
    await fsp.writeFile(
      script,
      `const { spawn } = require('node:child_process');
       const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
       require('node:fs').writeFileSync(process.argv[2], JSON.stringify([process.pid, child.pid]));
       setInterval(() => {}, 1000);`,
    );
    const pidsFile = path.join(dir, 'pids.json');
    const service = ServiceProcess.start({ name: 'tree', command: `${node} tree.js ${pidsFile} & wait`, cwd: dir, env: process.env });
    started.push(service);
    for (let i = 0; i < 500 && !(await fsp.stat(pidsFile).catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 10));
    const pids = JSON.parse(await fsp.readFile(pidsFile, 'utf8')) as number[];
    expect(service.liveMembers()).toEqual(expect.arrayContaining([service.pid, ...pids]));

    const stop = await service.stop(2000);

    expect(stop).toEqual({ how: 'terminated', stopped: true, survivors: [] });
    expect([service.pid, ...pids].filter(isProcessLive)).toEqual([]);
    // A second stop shares the first.
    expect(await service.stop(2000)).toBe(stop);
  });

  it('reports the exit and stderr of a command that fails at once, without waiting out the readiness time', async () => {
    const service = ServiceProcess.start({ name: 'bad', command: `${node} -e "console.error('listen EADDRINUSE'); process.exit(2)"`, cwd: dir, env: process.env });
    started.push(service);
    const outcome = await waitUntilHealthy({ url: 'http://127.0.0.1:9/health', timeoutMs: 60_000, signal: new AbortController().signal, exited: service.exited, since: service.startedAt });
    expect(outcome).toMatchObject({ healthy: false, reason: 'exited', exit: { code: 2, signal: null } });
    expect(service.stderr()).toBe('listen EADDRINUSE\n');
    expect(await service.stop(100)).toMatchObject({ how: 'already-exited', stopped: true });
  });
});
