// Deep import: batch-core's index loads the whole engine, most of a short run's start-up.
import { defineMode } from '@sparc/batch-core/dist/lib/mode/define-mode';
import { architectRun } from './architect-run';
import { architectDataSchema } from './data';
import { ARCHITECT_MODE_INFO } from './mode-info';
import { architectOptionsSchema } from './options';

export const architectMode = defineMode({
  ...ARCHITECT_MODE_INFO,
  options: architectOptionsSchema,
  data: architectDataSchema,
  run: architectRun,
});
