import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../workspace/workspace';
import { builtinHandlers, createDefaultRegistry } from './builtin';

describe('built-in operations', () => {
  it('registers every built-in type once', () => {
    const registry = createDefaultRegistry();
    expect(registry.types()).toEqual([
      'cpu',
      'exec',
      'file.copy',
      'file.delete',
      'file.edit',
      'file.mkdir',
      'file.move',
      'file.read',
      'file.write',
      'http.request',
      'search.glob',
      'search.grep',
    ]);
    expect(builtinHandlers).toHaveLength(12);
  });

  it('gives each call its own registry, so custom handlers do not leak between them', () => {
    const first = createDefaultRegistry();
    first.register({ type: 'custom.thing', params: builtinHandlers[0].params, run: () => 1 });
    expect(createDefaultRegistry().has('custom.thing')).toBe(false);
  });

  it('flags the handlers that mutate files or need the disk', () => {
    const registry = createDefaultRegistry();
    const mutating = registry.types().filter((type) => registry.get(type).mutatesFiles);
    expect(mutating).toEqual(['file.copy', 'file.delete', 'file.edit', 'file.mkdir', 'file.move', 'file.write']);
    expect(['exec', 'search.glob', 'search.grep'].every((type) => registry.get(type).needsDisk)).toBe(true);
  });

  it('runs a looked-up handler against a workspace', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-builtin-'));
    try {
      const workspace = await Workspace.open(dir, { recover: false });
      const handler = createDefaultRegistry().get('file.write');
      const ctx = { opId: 'w', attempt: 1, signal: new AbortController().signal, workspace, files: workspace, pool: () => { throw new Error('no pool'); } };
      await handler.run(handler.params.parse({ path: 'out/x.txt', content: 'hi' }), ctx);
      expect(await fsp.readFile(path.join(dir, 'out/x.txt'), 'utf8')).toBe('hi');
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
