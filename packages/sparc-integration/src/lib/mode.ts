import { defineCommand, defineMode } from '@sparc/batch-core';
import { checkDataSchema, waitDataSchema } from './check/data';
import { checkOptionsSchema, waitOptionsSchema } from './check/options';
import { runCheck } from './check/run-check';
import { runWait } from './wait/run-wait';

/**
 * `integration`: start the services of the system, wait until they are healthy, check their
 * answers against their contracts, and stop them, whatever happens. Without a command it runs
 * `check`, which is what the pipeline's integration stage does.
 */
export const integrationMode = defineMode({
  name: 'integration',
  summary: 'Start services, wait for health, check responses against their OpenAPI contracts, stop them',
  options: checkOptionsSchema,
  data: checkDataSchema,
  run: runCheck,
  commands: {
    check: defineCommand({
      summary: 'Start the services, wait for health, send the probes, check contracts and environment, stop everything',
      options: checkOptionsSchema,
      data: checkDataSchema,
      run: runCheck,
    }),
    wait: defineCommand({
      summary: 'Wait until resources are ready: http(s)://URL, tcp:host:port, file:path',
      options: waitOptionsSchema,
      data: waitDataSchema,
      positionals: 'resources',
      run: runWait,
    }),
  },
});
