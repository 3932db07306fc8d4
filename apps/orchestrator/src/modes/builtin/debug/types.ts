/** A test suite as a person would run it: a jest project, a package's `npm test`, `node --test`. */
export interface Suite {
  name: string;
  kind: 'jest' | 'node-test' | 'script';
  /** Workspace-relative folder it runs in ('' for the root). */
  cwd: string;
  /** The command line of a `script` suite (run through the shell), or the package script it came from. */
  command?: string;
  /** `node --test` file arguments from the package script. */
  files?: string[];
}

/** One failing test (or a test file that failed to run) with where it failed. */
export interface TestFailure {
  suite: string;
  /** The test's full name; absent when a whole file or suite failed to run. */
  test?: string;
  /** Workspace-relative. */
  file?: string;
  line?: number;
  message: string;
  /** What to rerun to check it again: the test file's absolute path (undefined: the whole suite). */
  rerunFile?: string;
}

export interface SuiteReport {
  passed: number;
  failed: number;
  todo: number;
  skipped: number;
  failures: TestFailure[];
  /** The suite produced no results at all (could not start, crashed, timed out). */
  crashed?: string;
}

/** Where runners find the workspace and write their raw reports. */
export interface RunnerContext {
  root: string;
  /** Absolute folder for raw output files (the mode's report folder). */
  outDir: string;
  /** Jest `--maxWorkers` for each suite: its share of the cores. */
  maxWorkers: number;
  timeoutMs: number;
}
