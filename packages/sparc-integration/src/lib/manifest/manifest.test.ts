import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '@sparc/batch-core';
import { ManifestError } from '../errors';
import { loadManifestFile, parseManifest } from './manifest';
import { findDependencyCycle, runInDependencyOrder } from './start-order';

const base = { url: 'http://127.0.0.1:3000', health: '/health' };

function issuesOf(input: unknown): string[] {
  try {
    parseManifest(input, 'services.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    return (error as ManifestError).issues.map((i) => i.message);
  }
  throw new Error('expected the manifest to be refused');
}

describe('services manifest', () => {
  it('accepts the fields of the issue', () => {
    const manifest = parseManifest({
      services: [
        { name: 'db', ...base, start: 'node db.js', cwd: 'db', env: { PORT: '3000' }, expectStatus: 204, readinessTimeoutMs: 5000 },
        { name: 'api', ...base, dependsOn: ['db'], openapi: 'api.json', probes: [{ method: 'POST', path: '/items', body: { a: 1 }, expectStatus: 201, maxMs: 200 }] },
      ],
    });
    expect(manifest.services.map((s) => s.name)).toEqual(['db', 'api']);
  });

  it('names the service by name and the field in every error', () => {
    expect(
      issuesOf({
        services: [
          { name: 'api', url: 'not a url', health: 'health' },
          { name: 'worker', ...base, probes: [{ method: 'GET', path: 'x' }], extra: true },
        ],
      }),
    ).toEqual([
      expect.stringMatching(/^service "api" \(services\[0\]\) field "url": /),
      'service "api" (services[0]) field "health": must start with "/"',
      expect.stringMatching(/^service "worker" \(services\[1\]\) field "probes\[0\]\.path": must start with "\/"/),
      'service "worker" (services[1]): unknown field extra',
    ]);
  });

  it('refuses unknown and circular dependencies, duplicates, and GET probes with a body', () => {
    expect(
      issuesOf({
        services: [
          { name: 'a', ...base, dependsOn: ['b'] },
          { name: 'b', ...base, dependsOn: ['a', 'ghost'] },
          { name: 'c', ...base, probes: [{ method: 'GET', path: '/', body: 'x' }] },
        ],
      }),
    ).toEqual([
      'service "b" (services[1]) field "dependsOn[1]": unknown service "ghost" (known: a, b, c)',
      'service "c" (services[2]) field "probes[0].body": a GET request cannot have a body',
      'service "a" (services[0]) field "dependsOn": dependency cycle: a -> b -> a',
    ]);
    expect(issuesOf({ services: [{ name: 'a', ...base }, { name: 'a', ...base }] })).toEqual(['service "a" (services[1]) field "name": duplicate service name "a"']);
  });

  it('reads JSON and YAML files inside the workspace', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-manifest-'));
    try {
      const workspace = await Workspace.open(dir);
      await fsp.writeFile(path.join(dir, 'services.yaml'), 'services:\n  - name: api\n    url: http://127.0.0.1:1\n    health: /health\n');
      expect((await loadManifestFile(workspace, 'services.yaml')).services[0].name).toBe('api');
      await fsp.writeFile(path.join(dir, 'bad.json'), '{ "services": [ { "name": "api" ');
      await expect(loadManifestFile(workspace, 'bad.json')).rejects.toThrow(/services manifest bad\.json does not parse/);
      await expect(loadManifestFile(workspace, 'missing.json')).rejects.toThrow('cannot read services manifest missing.json: no such file');
      await expect(loadManifestFile(workspace, '../outside.json')).rejects.toThrow(/outside the workspace/);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('start order', () => {
  it('finds cycles', () => {
    expect(findDependencyCycle([{ name: 'a', dependsOn: ['b'] }, { name: 'b', dependsOn: ['c'] }, { name: 'c', dependsOn: ['a'] }])).toEqual(['a', 'b', 'c', 'a']);
    expect(findDependencyCycle([{ name: 'a' }, { name: 'b', dependsOn: ['a'] }])).toBeUndefined();
  });

  it('starts independent nodes together and dependents after their dependencies succeeded', async () => {
    const events: string[] = [];
    let inFlight = 0;
    let peak = 0;
    const gates = new Map<string, () => void>();
    const done = runInDependencyOrder(
      [
        { name: 'web', dependsOn: ['api'] },
        { name: 'api', dependsOn: ['db', 'cache'] },
        { name: 'db' },
        { name: 'cache' },
        { name: 'broken' },
        { name: 'needs-broken', dependsOn: ['broken'] },
      ],
      {
        concurrency: 4,
        skip: (node, failed) => events.push(`skip ${node.name} (${failed})`),
        start: async (node) => {
          events.push(`start ${node.name}`);
          peak = Math.max(peak, ++inFlight);
          await new Promise<void>((resolve) => gates.set(node.name, resolve));
          inFlight--;
          events.push(`end ${node.name}`);
          return node.name !== 'broken';
        },
      },
    );
    const release = async (name: string) => {
      while (!gates.has(name)) await new Promise((resolve) => setImmediate(resolve));
      gates.get(name)?.();
    };
    await release('broken');
    await release('db');
    await release('cache');
    await release('api');
    await release('web');
    await done;
    expect(events.slice(0, 3)).toEqual(['start db', 'start cache', 'start broken']);
    expect(events.indexOf('start api')).toBeGreaterThan(Math.max(events.indexOf('end db'), events.indexOf('end cache')));
    expect(events.indexOf('start web')).toBeGreaterThan(events.indexOf('end api'));
    expect(events).toContain('skip needs-broken (broken)');
    expect(events).not.toContain('start needs-broken');
    expect(peak).toBe(3);
  });

  it('rejects once the starts in flight have settled when one throws', async () => {
    const settled: string[] = [];
    await expect(
      runInDependencyOrder([{ name: 'a' }, { name: 'b' }, { name: 'c', dependsOn: ['a'] }], {
        concurrency: 2,
        skip: () => undefined,
        start: async (node) => {
          if (node.name === 'a') throw new Error('a exploded');
          await new Promise((resolve) => setTimeout(resolve, 50));
          settled.push(node.name);
          return true;
        },
      }),
    ).rejects.toThrow('a exploded');
    expect(settled).toEqual(['b']);
  });
});
