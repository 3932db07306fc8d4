import type { ModeContext, RunnableMode } from '@sparc/batch-core';
// Deep import, like the CLI's: batch-core's index loads the whole engine.
import { plainFirst } from '@sparc/batch-core/dist/lib/mode/plain-schema';
import type { ArchitectOptions } from '../options';
import { ARCHITECT_MODE_INFO } from '../mode-info';
import { ARCHITECT_DATA_PLAIN, ARCHITECT_OPTIONS_PLAIN, ARCHITECT_OPTION_DESCRIPTORS } from './schemas.generated';

export { ARCHITECT_OPTION_DESCRIPTORS };

/**
 * `architectMode` as `runMode` needs it, for the standalone CLI: options and data are checked
 * against the generated plain schemas, and zod (tens of milliseconds to load) comes in only when
 * a value is refused, so that the error is zod's own. The analysis loads on the first run, so
 * `--help` and usage errors skip it too.
 */
export const plainArchitectMode: RunnableMode & typeof ARCHITECT_MODE_INFO = Object.freeze({
  ...ARCHITECT_MODE_INFO,
  options: plainFirst(ARCHITECT_OPTIONS_PLAIN, () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../options') as typeof import('../options')).architectOptionsSchema;
  }),
  data: plainFirst(ARCHITECT_DATA_PLAIN, () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../data') as typeof import('../data')).architectDataSchema;
  }),
  commands: {},
  run(ctx: ModeContext, options: unknown) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { architectRun } = require('../architect-run') as typeof import('../architect-run');
    return architectRun(ctx, options as ArchitectOptions);
  },
});
