import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '@sparc/batch-core';
import { parseDotenv } from './dotenv';
import { checkEnvironment } from './env-consistency';

describe('dotenv files', () => {
  it('reads keys and values the way dotenv does', () => {
    const parsed = parseDotenv(['# comment', 'A=1', 'export B = two words # note', 'C="quoted # not a comment"', "D='single'", 'E=', 'not a line', ''].join('\n'));
    expect([...parsed]).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', 'quoted # not a comment'],
      ['D', 'single'],
      ['E', ''],
    ]);
  });
});

describe('environment consistency', () => {
  let dir: string;
  let workspace: Workspace;
  beforeEach(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-env-'));
    workspace = await Workspace.open(dir);
    await fsp.mkdir(path.join(dir, 'api'));
    await fsp.mkdir(path.join(dir, 'worker'));
  });
  afterEach(() => fsp.rm(dir, { recursive: true, force: true }));

  const service = (name: string, extra: Record<string, unknown> = {}) => ({ name, url: 'http://127.0.0.1:1', health: '/health', ...extra });

  it('lists the required keys a service does not get from its manifest, .env or environment', async () => {
    await fsp.writeFile(path.join(dir, 'api', '.env.example'), 'DATABASE_URL=\nREDIS_URL=\nLOG_LEVEL=info\nFROM_PARENT=\n');
    await fsp.writeFile(path.join(dir, 'api', '.env'), 'REDIS_URL=redis://127.0.0.1:6379\n');
    const report = await checkEnvironment(workspace, [service('api', { cwd: 'api', env: { LOG_LEVEL: 'debug', API_TOKEN: '' } })], { FROM_PARENT: 'yes', PATH: '/bin' });
    expect(report.services).toEqual([{ name: 'api', required: ['API_TOKEN', 'DATABASE_URL', 'FROM_PARENT', 'LOG_LEVEL', 'REDIS_URL'], missing: ['API_TOKEN', 'DATABASE_URL'], files: ['api/.env.example', 'api/.env'] }]);
  });

  it('diffs the keys several services set, by fingerprint, never by value', async () => {
    await fsp.writeFile(path.join(dir, 'worker', '.env'), 'DATABASE_URL=postgres://db/other\nQUEUE=jobs\n');
    const report = await checkEnvironment(workspace, [service('api', { cwd: 'api', env: { DATABASE_URL: 'postgres://db/main', QUEUE: 'jobs' } }), service('worker', { cwd: 'worker' })], {});
    expect(report.shared.map((s) => [s.key, s.services, s.consistent])).toEqual([
      ['DATABASE_URL', ['api', 'worker'], false],
      ['QUEUE', ['api', 'worker'], true],
    ]);
    const fingerprints = report.shared[0].fingerprints;
    expect(fingerprints.api).toMatch(/^[0-9a-f]{8}$/);
    expect(fingerprints.api).not.toBe(fingerprints.worker);
    expect(JSON.stringify(report)).not.toContain('postgres://');
  });
});
