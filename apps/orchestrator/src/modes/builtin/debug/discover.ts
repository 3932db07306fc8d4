import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { ModeEngine } from '@sparc/batch-core';
import type { Suite } from './types';

interface Manifest {
  name?: string;
  scripts?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
  jest?: { projects?: unknown };
}

const JEST_CONFIGS = ['jest.config.js', 'jest.config.cjs', 'jest.config.mjs', 'jest.config.ts', 'jest.config.json'];
/** What `npm init` writes: not a test suite. */
const NPM_PLACEHOLDER = /no test specified/;
/** Root scripts that run every workspace's own test script: running both would run everything twice. */
const DELEGATES = /(--workspaces?\b|\s-ws\b|--workspace=|nx\s+run-many|lerna\s+run|turbo\s+(run\s+)?test|pnpm\s+(-r|--recursive)|yarn\s+workspaces)/;

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function jestConfig(dir: string): Promise<{ file: string; projects: boolean } | undefined> {
  for (const name of JEST_CONFIGS) {
    const text = await fsp.readFile(path.join(dir, name), 'utf8').catch(() => undefined);
    if (text !== undefined) return { file: name, projects: /\bprojects\s*["']?\s*:/.test(text) };
  }
  return undefined;
}

/** The `node --test` file arguments of a script (`node --test test/a.test.js` → `['test/a.test.js']`). */
function nodeTestFiles(script: string): string[] {
  const words = script.split(/\s+/);
  const at = words.indexOf('--test');
  return words.slice(at + 1).filter((w) => w !== '' && !w.startsWith('-') && !/^[;&|]/.test(w));
}

function classify(name: string, cwd: string, script: string): Suite {
  if (/(^|[\s/;&|])jest(\s|$)/.test(script)) return { name, kind: 'jest', cwd, command: script };
  if (/\bnode\b[^;&|]*\s--test\b/.test(script)) return { name, kind: 'node-test', cwd, command: script, files: nodeTestFiles(script) };
  return { name, kind: 'script', cwd, command: 'npm test --silent' };
}

async function workspacePackages(root: string, manifest: Manifest, engine: ModeEngine, signal: AbortSignal): Promise<string[]> {
  const patterns = Array.isArray(manifest.workspaces) ? manifest.workspaces : (manifest.workspaces?.packages ?? []);
  if (patterns.length === 0) return [];
  const result = await engine.run({ operations: [{ id: 'workspaces', type: 'search.glob', params: { patterns: patterns.map((p) => `${p.replace(/\/+$/, '')}/package.json`) } }] }, { signal });
  const files = (result.results[0]?.output as { files?: string[] } | undefined)?.files ?? [];
  return files.map((f) => path.posix.dirname(f)).sort();
}

/**
 * The suites a person would run: a root jest config with `projects` is one suite (jest runs the
 * projects itself); otherwise each package's `test` script (root and npm workspaces), skipping a
 * root script that only delegates to the workspaces; a jest config with no script is a suite too.
 */
export async function discoverSuites(root: string, engine: ModeEngine, signal: AbortSignal): Promise<Suite[]> {
  const manifest = (await readJson<Manifest>(path.join(root, 'package.json'))) ?? {};
  const rootJest = await jestConfig(root);
  if (rootJest?.projects || manifest.jest?.projects) return [{ name: 'jest', kind: 'jest', cwd: '' }];

  const suites: Suite[] = [];
  const packages = await workspacePackages(root, manifest, engine, signal);
  const rootScript = manifest.scripts?.test;
  if (rootScript && !NPM_PLACEHOLDER.test(rootScript) && !(packages.length > 0 && DELEGATES.test(rootScript))) {
    suites.push(classify(manifest.name ?? 'root', '', rootScript));
  } else if (!rootScript && (rootJest || manifest.jest)) {
    suites.push({ name: manifest.name ?? 'root', kind: 'jest', cwd: '' });
  }
  for (const dir of packages) {
    const pkg = await readJson<Manifest>(path.join(root, dir, 'package.json'));
    const script = pkg?.scripts?.test;
    if (script && !NPM_PLACEHOLDER.test(script)) suites.push(classify(pkg?.name ?? dir, dir, script));
  }
  return suites;
}
