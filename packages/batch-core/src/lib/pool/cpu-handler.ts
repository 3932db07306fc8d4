import { z } from 'zod';
import { defineHandler } from '../operations/registry';
import { resolveTaskModule } from './task-module';

export const cpuParamsSchema = z.strictObject({
  /** `./path/in/workspace.js`, an absolute path inside the workspace, or a package installed in it. */
  module: z.string().min(1, 'module must name a file or package'),
  /** Function export to call; `default` (or the module itself when it is a function) when omitted. */
  export: z.string().min(1).optional(),
  /** Handed to the function; must survive structured cloning. */
  payload: z.unknown().optional(),
});

export type CpuParams = z.infer<typeof cpuParamsSchema>;

/** `cpu`: runs a function export of a workspace module in the shared worker pool, abortable by the operation's signal. */
export const cpuHandler = defineHandler<CpuParams, unknown>({
  type: 'cpu',
  params: cpuParamsSchema,
  target: (params) => `cpu:${params.module}#${params.export ?? 'default'}`,
  describe: (params) => `run ${params.module}#${params.export ?? 'default'} in the worker pool`,
  async run(params, ctx) {
    // Every operation of a batch that names the same module gets the same file: resolve it once.
    const resolve = () => resolveTaskModule(params.module, ctx.workspace);
    const module = await (ctx.memo ? ctx.memo(`cpu-module:${params.module}`, resolve) : resolve());
    return ctx.pool().run({ module, exportName: params.export, payload: params.payload }, { signal: ctx.signal });
  },
});
