import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkerEntryMissingError } from '../errors';
import { findPackageRoot, locateTaskRunner, taskRunnerPath } from '../worker-entry';

let tempDir: string | undefined;
afterEach(async () => {
  if (tempDir) await fsp.rm(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

describe('locating the compiled worker entry', () => {
  it('finds dist/workers/task-runner.js of this package from its source folder', () => {
    const packageRoot = path.resolve(__dirname, '..', '..', '..', '..');
    expect(findPackageRoot(__dirname)).toBe(packageRoot);
    expect(taskRunnerPath()).toBe(path.join(packageRoot, 'dist', 'workers', 'task-runner.js'));
    expect(existsSync(taskRunnerPath())).toBe(true);
  });

  it('tells to build the package when the compiled entry is missing', async () => {
    tempDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pool-entry-'));
    await fsp.writeFile(path.join(tempDir, 'package.json'), JSON.stringify({ name: '@sparc/batch-core' }));
    const nested = path.join(tempDir, 'dist', 'lib', 'pool');
    await fsp.mkdir(nested, { recursive: true });

    let caught: unknown;
    try {
      locateTaskRunner(nested);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WorkerEntryMissingError);
    expect((caught as WorkerEntryMissingError).code).toBe('WORKER_ENTRY_MISSING');
    expect((caught as Error).message).toContain(path.join(tempDir, 'dist', 'workers', 'task-runner.js'));
    expect((caught as Error).message).toContain('npx nx run batch-core:build');
  });

  it('fails clearly outside the package', async () => {
    tempDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'pool-entry-'));
    expect(() => findPackageRoot(tempDir as string)).toThrow(WorkerEntryMissingError);
  });
});
