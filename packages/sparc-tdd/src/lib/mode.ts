import { defineMode } from '@sparc/batch-core';
import { coverageCommand } from './commands/coverage-command';
import { generateCommand } from './commands/generate-command';
import { redGreenCommand } from './commands/red-green-command';
import { runCommand } from './commands/run-command';
import { runScan, scanCommand, scanData, scanOptions } from './commands/scan-command';

/** `sparc tdd`: what is untested, tests written first, suites run at once, where coverage is weakest. */
export const tddMode = defineMode({
  name: 'tdd',
  summary: 'Untested exports, tests written first (todos and spec acceptance tests), suites run concurrently, coverage ranking, red-green',
  options: scanOptions,
  data: scanData,
  run: runScan,
  commands: {
    scan: scanCommand,
    generate: generateCommand,
    run: runCommand,
    coverage: coverageCommand,
    'red-green': redGreenCommand,
  },
});
