/*
 * A bullmq swarm worker as a process of its own (for machines without the sparc CLI, tests and
 * benchmarks): `node dist/workers/swarm-worker.js --redis URL --dir W --agents N --types a,b`.
 * Runs batch and operation tasks (`--operations FILE` adds operation types from a module); mode
 * tasks need the CLI's `sparc swarm worker`, which knows the modes. Prints `ready <worker-id>` once it takes work, one line per finished task, and stops
 * cleanly on SIGINT or SIGTERM.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createDefaultRegistry, type AnyOperationHandler, type OperationRegistry } from '@sparc/batch-core';
import { SwarmWorker } from '../lib/redis/swarm-worker';

/** `--operations FILE`: a CommonJS module whose exports (an array, or an object of them) are operation handlers to add. */
function registryWith(file: string | undefined): OperationRegistry | undefined {
  if (!file) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a user's module, named on the command line
  const loaded = require(path.resolve(file)) as unknown;
  const exported = (loaded as { default?: unknown }).default ?? loaded;
  const handlers = (Array.isArray(exported) ? exported : Object.values(exported as Record<string, unknown>)) as AnyOperationHandler[];
  const registry = createDefaultRegistry();
  for (const handler of handlers) registry.register(handler);
  return registry;
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}

function int(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      redis: { type: 'string' },
      dir: { type: 'string' },
      agents: { type: 'string' },
      types: { type: 'string' },
      capabilities: { type: 'string' },
      concurrency: { type: 'string' },
      prefix: { type: 'string' },
      'lock-duration': { type: 'string' },
      'stalled-interval': { type: 'string' },
      heartbeat: { type: 'string' },
      'worker-id': { type: 'string' },
      operations: { type: 'string' },
      'reconnect-for': { type: 'string' },
      quiet: { type: 'boolean' },
    },
    strict: true,
  });
  if (!values.redis) {
    process.stderr.write('swarm-worker: --redis URL is required\n');
    return 2;
  }
  const registry = registryWith(values.operations);
  const worker = await SwarmWorker.start({
    redis: values.redis,
    ...(registry ? { registry } : {}),
    ...(values.dir ? { dir: values.dir } : {}),
    ...(values.agents ? { agents: int(values.agents) } : {}),
    ...(values.types ? { types: list(values.types) } : {}),
    ...(values.capabilities ? { capabilities: list(values.capabilities) } : {}),
    ...(values.concurrency ? { concurrency: int(values.concurrency) } : {}),
    ...(values.prefix ? { prefix: values.prefix } : {}),
    ...(values['lock-duration'] ? { lockDurationMs: int(values['lock-duration']) } : {}),
    ...(values['stalled-interval'] ? { stalledIntervalMs: int(values['stalled-interval']) } : {}),
    ...(values.heartbeat ? { heartbeatMs: int(values.heartbeat) } : {}),
    ...(values['worker-id'] ? { workerId: values['worker-id'] } : {}),
    ...(values['reconnect-for'] ? { reconnectForMs: int(values['reconnect-for']) } : {}),
    ...(values.quiet
      ? {}
      : {
          onTask: ({ runId, result, final }: { runId: string; result: { id: string; status: string; agent: string | null; durationMs: number }; final: boolean }) => {
            process.stdout.write(`${final ? result.status : 'retrying'} ${runId} ${result.id} ${result.agent} ${result.durationMs}\n`);
          },
        }),
  });
  process.stdout.write(`ready ${worker.id} ${worker.agents.map((a) => a.id).join(',')}\n`);
  const stop = () => void worker.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await worker.closed;
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = typeof (error as { code?: unknown })?.code === 'string' ? `${(error as { code: string }).code}: ` : '';
    process.stderr.write(`swarm-worker: ${code}${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
