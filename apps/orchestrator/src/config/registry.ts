import type { ModeRegistry } from '@sparc/batch-core';
import { ConfigError } from './errors';
import type { SparcConfig } from './load';

/**
 * A registry with `base`'s modes (the built-in ones, or an injected set) followed by the config's
 * custom modes. `base` is left as it was. A custom mode named like a registered one is refused
 * with the config file and field in the message.
 */
export function withCustomModes(base: ModeRegistry, config: SparcConfig): ModeRegistry {
  if (config.modes.length === 0) return base;
  // A copy keeps the base's modes unloaded until read.
  const registry = base.copy();
  config.modes.forEach((mode, i) => {
    if (registry.has(mode.name)) {
      throw new ConfigError(config.source, [{ path: `modes[${i}].name`, message: `"${mode.name}" is already a ${registry.source(mode.name) === 'builtin' ? 'built-in' : 'registered'} mode; pick another name` }]);
    }
    registry.register(mode, { source: 'custom' });
  });
  return registry;
}
