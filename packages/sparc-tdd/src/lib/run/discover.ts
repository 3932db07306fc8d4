import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { glob } from 'tinyglobby';
import type { Workspace } from '@sparc/batch-core';
import { TddError } from '../errors';
import { readTddConfig, suitesFromOption } from './config';
import { readConfigKey } from './load-config-module';
import { jestArgsOf, suiteFromEntry, type Suite, type SuiteEntry, type SuiteSource } from './suites';

const JEST_CONFIG_NAMES = ['jest.config.js', 'jest.config.cjs', 'jest.config.mjs', 'jest.config.ts', 'jest.config.cts', 'jest.config.mts', 'jest.config.json'];
/** What `npm init` writes; not a test suite. */
const NPM_PLACEHOLDER_TEST = /no test specified/;
const IGNORE = ['**/node_modules/**', '**/dist/**', '**/.sparc/**', '**/__fixtures__/**'];

export interface DiscoveredSuites {
  suites: Suite[];
  /** How they were found, for the summary. */
  from: string;
}

/**
 * The suites to run: `--suites`, else `tdd.suites` of sparc.config, else one per workspace project
 * (Nx project with a test target, a package with a jest config or a test script), else the root
 * jest config (one suite per entry of `projects`), else the root test script.
 */
export async function discoverSuites(workspace: Workspace, fromOption: string[]): Promise<DiscoveredSuites> {
  const probe = {
    isDir: (p: string) => isDir(path.join(workspace.root, p)),
    isFile: (p: string) => isFile(path.join(workspace.root, p)),
  };
  const fromEntries = (entries: Record<string, SuiteEntry>, source: SuiteSource) => Object.entries(entries).map(([name, entry]) => suiteFromEntry(name, entry, source, probe));

  if (fromOption.length > 0) return { suites: fromEntries(suitesFromOption(fromOption), 'option'), from: '--suites' };
  const { file, config } = readTddConfig(workspace.root);
  if (config.suites && Object.keys(config.suites).length > 0) return { suites: fromEntries(config.suites, 'config'), from: `${file} tdd.suites` };

  const projects = await projectSuites(workspace.root);
  if (projects.length > 0) return { suites: uniqueNames(projects), from: 'workspace projects' };

  const rootJest = await rootJestSuites(workspace.root);
  if (rootJest.length > 0) return { suites: uniqueNames(rootJest), from: 'the root jest config' };

  const script = scriptSuite(workspace.root, '', 'root');
  if (script) return { suites: [script], from: 'the root package.json test script' };
  throw new TddError('TDD_NO_SUITES', 'no test suites found: give --suites name=folder|config|command, set tdd.suites in sparc.config.json, or add a jest config or a test script');
}

async function projectSuites(root: string): Promise<Suite[]> {
  const manifest = readJson(path.join(root, 'package.json'));
  const workspaces = Array.isArray(manifest?.workspaces) ? manifest.workspaces : (manifest?.workspaces as { packages?: unknown } | undefined)?.packages;
  const patterns = Array.isArray(workspaces) ? workspaces.filter((w): w is string => typeof w === 'string') : [];
  const dirs = new Set<string>();
  if (patterns.length > 0) {
    for (const dir of await glob(patterns, { cwd: root, onlyDirectories: true, ignore: IGNORE, expandDirectories: false })) dirs.add(dir.replace(/\/$/, ''));
  }
  if (existsSync(path.join(root, 'nx.json'))) {
    for (const projectFile of await glob(['**/project.json'], { cwd: root, ignore: IGNORE })) {
      const dir = path.posix.dirname(projectFile);
      if (dir !== '.') dirs.add(dir);
    }
  }
  const suites: Suite[] = [];
  for (const dir of [...dirs].sort()) {
    const suite = nxTargetSuite(root, dir) ?? jestConfigSuite(root, dir) ?? scriptSuite(root, dir, path.posix.basename(dir));
    if (suite) suites.push(suite);
  }
  return suites;
}

/** An Nx project's `test` target: `@nx/jest:jest` with its jestConfig, or a run-commands command. */
function nxTargetSuite(root: string, dir: string): Suite | undefined {
  const project = readJson(path.join(root, dir, 'project.json'));
  const target = (project?.targets as Record<string, { executor?: string; options?: Record<string, unknown> }> | undefined)?.test;
  if (!target) return undefined;
  const name = typeof project?.name === 'string' ? project.name : path.posix.basename(dir);
  if (target.executor?.endsWith(':jest') && typeof target.options?.jestConfig === 'string') {
    const config = target.options.jestConfig.replace(/^\.\//, '');
    return { kind: 'jest', name, cwd: path.posix.dirname(config) === '.' ? '' : path.posix.dirname(config), config: path.posix.basename(config), args: [], source: 'nx-project' };
  }
  const command = target.options?.command;
  if (typeof command === 'string') {
    const args = jestArgsOf(command);
    return args ? { kind: 'jest', name, cwd: dir, args, source: 'nx-project' } : { kind: 'command', name, cwd: dir, command, source: 'nx-project' };
  }
  return jestConfigSuite(root, dir, name, 'nx-project');
}

function jestConfigSuite(root: string, dir: string, name = path.posix.basename(dir), source: SuiteSource = 'jest-config'): Suite | undefined {
  const config = JEST_CONFIG_NAMES.find((n) => existsSync(path.join(root, dir, n)));
  return config ? { kind: 'jest', name, cwd: dir, config, args: [], source } : undefined;
}

function scriptSuite(root: string, dir: string, name: string): Suite | undefined {
  const manifest = readJson(path.join(root, dir, 'package.json'));
  const script = (manifest?.scripts as Record<string, unknown> | undefined)?.test;
  if (typeof script !== 'string' || NPM_PLACEHOLDER_TEST.test(script)) return undefined;
  const args = jestArgsOf(script);
  return args ? { kind: 'jest', name, cwd: dir, args, source: 'package-script' } : { kind: 'command', name, cwd: dir, command: 'npm test', source: 'package-script' };
}

/** The root jest config: one suite per `projects` entry when it lists them, else one suite. */
async function rootJestSuites(root: string): Promise<Suite[]> {
  const configName = JEST_CONFIG_NAMES.find((n) => existsSync(path.join(root, n)));
  const manifest = readJson(path.join(root, 'package.json'));
  const config = configName ? loadJestConfig(path.join(root, configName)) : (manifest?.jest as Record<string, unknown> | undefined);
  if (!configName && !config) return [];
  const projects = Array.isArray(config?.projects) ? config.projects : [];
  const suites: Suite[] = [];
  for (const project of projects) {
    if (typeof project === 'string') {
      const pattern = project.replace(/^<rootDir>\/?/, '') || '.';
      for (const match of await glob([pattern], { cwd: root, onlyFiles: false, ignore: IGNORE, expandDirectories: false })) {
        const clean = match.replace(/\/$/, '');
        if (isDir(path.join(root, clean))) suites.push(jestConfigSuite(root, clean) ?? { kind: 'jest', name: path.posix.basename(clean), cwd: clean, args: [], source: 'jest-projects' });
        else suites.push({ kind: 'jest', name: path.posix.basename(clean).replace(/\.[^.]+$/, ''), cwd: path.posix.dirname(clean) === '.' ? '' : path.posix.dirname(clean), config: path.posix.basename(clean), args: [], source: 'jest-projects' });
      }
    } else if (typeof project === 'object' && project !== null && typeof (project as { displayName?: unknown }).displayName === 'string') {
      const displayName = (project as { displayName: string }).displayName;
      suites.push({ kind: 'jest', name: displayName, cwd: '', config: configName, args: ['--selectProjects', displayName], source: 'jest-projects' });
    }
  }
  if (suites.length > 0) return suites.map((s) => ({ ...s, source: 'jest-projects' as const }));
  return [{ kind: 'jest', name: 'root', cwd: '', config: configName, args: [], source: 'jest-config' }];
}

/** JSON and CommonJS jest configs are read to find `projects`; others run as one suite. */
function loadJestConfig(file: string): Record<string, unknown> | undefined {
  try {
    if (file.endsWith('.json')) return readJson(file);
    if (!file.endsWith('.js') && !file.endsWith('.cjs')) return undefined;
    const projects = readConfigKey(file, 'projects');
    return Array.isArray(projects) ? { projects } : {};
  } catch {
    return undefined;
  }
}

function uniqueNames(suites: Suite[]): Suite[] {
  const seen = new Map<string, number>();
  return suites.map((suite) => {
    const base = suite.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'suite';
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return { ...suite, name: count === 1 ? base : `${base}-${count}` };
  });
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
