import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/**
 * Makes a temp workspace able to compile and test generated code with this repository's own
 * toolchain, without installing anything: `node_modules` is a symlink to the folder zod resolves
 * from here, and the jest config names ts-jest by absolute path. The demo does the same.
 */
export async function useRepoToolchain(dir: string): Promise<void> {
  const nodeModules = path.dirname(path.dirname(require.resolve('zod/package.json')));
  await fsp.symlink(nodeModules, path.join(dir, 'node_modules'), 'dir');
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'node16',
      moduleResolution: 'node16',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node', 'jest'],
      // Stricter than --strict, so the generated code fits workspaces that turn these on.
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      noImplicitOverride: true,
      noPropertyAccessFromIndexSignature: true,
      noImplicitReturns: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      isolatedModules: true,
    },
    include: ['src'],
  };
  await fsp.writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const jestConfig = {
    rootDir: dir,
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': [require.resolve('ts-jest'), { tsconfig: path.join(dir, 'tsconfig.json'), diagnostics: false }] },
    moduleFileExtensions: ['ts', 'js', 'json'],
    testMatch: ['<rootDir>/src/**/*.test.ts'],
  };
  await fsp.writeFile(path.join(dir, 'jest.config.json'), JSON.stringify(jestConfig, null, 2));
}

export function runTsc(dir: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
}

export interface JestSummary {
  success: boolean;
  numTotalTestSuites: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; status: string; message: string }[];
}

/** Runs jest on the workspace in a child process and reads its JSON report. */
export async function runJest(dir: string): Promise<{ run: SpawnSyncReturns<string>; summary: JestSummary }> {
  const report = path.join(dir, 'jest-report.json');
  const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--config', path.join(dir, 'jest.config.json'), '--ci', '--json', '--outputFile', report, '--runInBand'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const summary = JSON.parse(await fsp.readFile(report, 'utf8')) as JestSummary;
  return { run, summary };
}

/** Starts `src/main.ts` through ts-node on a free port; resolves with its URL once it prints it. */
export function startMain(dir: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), path.join(dir, 'src', 'main.ts')], {
    cwd: dir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TS_NODE_PROJECT: path.join(dir, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`main.ts did not start listening: ${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], pid: child.pid ?? -1, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`main.ts exited with ${code}: ${output}`));
    });
  });
}
