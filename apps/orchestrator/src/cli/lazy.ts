/*
 * The engine and the built-in modes are loaded on first use, never at startup: `sparc --help` and
 * usage errors stay fast because they never pay for the engine, zod or the mode packages.
 * `require` (not `import()`) keeps this synchronous and identical under node and jest.
 */
import type * as BatchCore from '@sparc/batch-core';
import type * as Config from '../config';
import type * as BuiltInModes from '../modes/registry';
import type * as Pipeline from '../pipeline';

let core: typeof BatchCore | undefined;

export function loadCore(): typeof BatchCore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load, see above
  core ??= require('@sparc/batch-core') as typeof BatchCore;
  return core;
}

/** The engine module if a command already loaded it; error reporting must not load it itself. */
export function loadedCore(): typeof BatchCore | undefined {
  return core;
}

export function loadBuiltInModes(): typeof BuiltInModes {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load, see above
  return require('../modes/registry') as typeof BuiltInModes;
}

export function loadConfigModule(): typeof Config {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load, see above
  return require('../config') as typeof Config;
}

export function loadPipeline(): typeof Pipeline {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load, see above
  return require('../pipeline') as typeof Pipeline;
}

/** Why a run stops on Ctrl-C or SIGTERM, as the error the engine reports cancelled operations with. */
export function interrupted(signal: NodeJS.Signals = 'SIGINT'): Error {
  return new (loadCore().CancelledError)(`interrupted (${signal})`);
}
