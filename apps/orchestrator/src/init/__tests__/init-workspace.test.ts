import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BatchEngine, createDefaultRegistry, defineHandler, parseSpec, Workspace, type OperationHandler } from '@sparc/batch-core';
import { z } from 'zod';
import { SparcConfigSchema } from '../../config/schema';
import { InitError, initWorkspace, InitFailedError, projectFiles, SWARM_PLAN_FILE } from '..';

/** The plan file format of issue 7 (`sparc swarm run --plan FILE`), exactly as written there. */
const operationShape = z.object({ id: z.string(), type: z.string() }).passthrough();
const SwarmPlanSchema = z
  .object({
    topology: z.enum(['mesh', 'hierarchical', 'star', 'ring']),
    agents: z.array(z.object({ type: z.string().min(1), count: z.number().int().min(1), capabilities: z.array(z.string()).optional() }).strict()).min(1),
    tasks: z
      .array(
        z
          .object({
            id: z.string().min(1),
            capability: z.string().min(1),
            batch: z.object({ operations: z.array(operationShape) }).passthrough().optional(),
            operation: operationShape.optional(),
            mode: z.object({ name: z.string(), options: z.record(z.string(), z.unknown()) }).strict().optional(),
            dependsOn: z.array(z.string()).optional(),
            priority: z.number().optional(),
            retry: z.unknown().optional(),
          })
          .strict()
          .refine((t) => [t.batch, t.operation, t.mode].filter(Boolean).length === 1, 'a task has exactly one of batch, operation, mode'),
      )
      .min(1),
  })
  .strict();

describe('initWorkspace', () => {
  let parent: string;

  beforeEach(async () => {
    parent = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-init-')));
  });
  afterEach(() => fsp.rm(parent, { recursive: true, force: true }));

  const read = (root: string, file: string) => fsp.readFile(path.join(root, file), 'utf8');

  it('writes every file of the template in one committed atomic batch, and nothing else', async () => {
    const root = path.join(parent, 'deep', 'todo-api');
    const result = await initWorkspace({ name: 'todo-api', root });
    expect(result).toMatchObject({ name: 'todo-api', root, batch: { status: 'succeeded', committed: true, operations: 10 } });
    const expected = projectFiles('todo-api');
    expect(result.files).toEqual(expected.map((f) => f.path));
    for (const file of expected) expect(await read(root, file.path)).toBe(file.content);
    // No journal, metrics or other bookkeeping is left in the new workspace.
    const listed = (await fsp.readdir(root, { recursive: true })).map(String).sort();
    expect(listed).toEqual([...expected.map((f) => f.path), 'src'].sort());
  });

  it('writes a spec, a config and a swarm plan that their own schemas accept', async () => {
    const root = path.join(parent, 'notes');
    await initWorkspace({ name: 'notes', root });

    const spec = parseSpec(JSON.parse(await read(root, 'sparc.spec.json')), 'sparc.spec.json');
    expect(spec.name).toBe('notes');
    expect(spec.entities.map((e) => e.name)).toEqual(['Note']);
    expect(spec.requirements[0].acceptance.length).toBeGreaterThan(0);
    const port = new URL(spec.services[0].url).port;
    expect(spec.services[0].env?.PORT).toBe(port);

    const config = SparcConfigSchema.parse(JSON.parse(await read(root, 'sparc.config.json')));
    expect(Object.keys(config.pipelines)).toEqual(['check']);

    const plan = SwarmPlanSchema.parse(JSON.parse(await read(root, SWARM_PLAN_FILE)));
    const types = new Set(plan.agents.map((a) => a.type));
    for (const task of plan.tasks) expect(types.has(task.capability)).toBe(true);
    const ids = new Set(plan.tasks.map((t) => t.id));
    for (const task of plan.tasks) for (const dep of task.dependsOn ?? []) expect(ids.has(dep)).toBe(true);
    // The plan's batches and operations are valid for the engine as they stand.
    const engine = new BatchEngine({ workspace: await Workspace.open(root), monitor: false });
    try {
      for (const task of plan.tasks) {
        if (task.batch) expect(() => engine.validate(task.batch)).not.toThrow();
        if (task.operation) expect(() => engine.validate({ operations: [task.operation] })).not.toThrow();
      }
    } finally {
      await engine.close();
    }

    const manifest = JSON.parse(await read(root, 'package.json')) as { name: string; scripts: Record<string, string> };
    expect(manifest.name).toBe('notes');
    expect(manifest.scripts.test).toBe('jest');
  });

  it('refuses a folder that is not empty, and leaves it as it was', async () => {
    const root = path.join(parent, 'busy');
    await fsp.mkdir(root);
    await fsp.writeFile(path.join(root, 'keep.txt'), 'mine');
    await expect(initWorkspace({ name: 'busy', root })).rejects.toMatchObject({ code: 'INIT_TARGET_NOT_EMPTY', message: expect.stringContaining('keep.txt') });
    expect(await fsp.readdir(root)).toEqual(['keep.txt']);
  });

  it('refuses a file as the target, and names that are not npm package names', async () => {
    const file = path.join(parent, 'a-file');
    await fsp.writeFile(file, 'x');
    await expect(initWorkspace({ name: 'a-file', root: file })).rejects.toMatchObject({ code: 'INIT_TARGET_NOT_A_FOLDER' });
    for (const bad of ['', 'My App', 'UPPER', '-dash', '../up', 'a/b']) {
      await expect(initWorkspace({ name: bad, root: path.join(parent, 'bad') })).rejects.toBeInstanceOf(InitError);
    }
    expect(existsSync(path.join(parent, 'bad'))).toBe(false);
  });

  it('writes nothing when one file of the batch fails: a folder it made is removed, an empty one stays empty', async () => {
    const real = createDefaultRegistry().get('file.write') as OperationHandler<{ path: string }>;
    const registry = createDefaultRegistry().register(
      defineHandler({
        ...real,
        run(params, ctx) {
          if (params.path === 'sparc.spec.json') throw Object.assign(new Error('disk full (simulated)'), { code: 'ENOSPC' });
          return real.run(params, ctx);
        },
      }),
      { replace: true },
    );
    const created = path.join(parent, 'new', 'project');
    await expect(initWorkspace({ name: 'project', root: created, registry })).rejects.toBeInstanceOf(InitFailedError);
    expect(existsSync(path.join(parent, 'new'))).toBe(false);

    const empty = path.join(parent, 'empty');
    await fsp.mkdir(empty);
    await expect(initWorkspace({ name: 'project', root: empty, registry })).rejects.toThrow(/nothing was written: ENOSPC: disk full/);
    expect(await fsp.readdir(empty)).toEqual([]);
  });
});
