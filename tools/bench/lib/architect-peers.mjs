/**
 * The import-graph tools the architect mode is compared with, each run as a whole process (its
 * own bin under node) on the same folder with the same tsconfig, and its output read back into an
 * edge list, so strongly connected components can be compared set for set.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../../..');
const require = createRequire(path.join(REPO_ROOT, 'tools/bench/package.json'));

/** The installed folder of a package (some, like dependency-cruiser, do not export their package.json). */
function packageDir(pkg) {
  for (const base of [path.join(REPO_ROOT, 'tools/bench/node_modules'), path.join(REPO_ROOT, 'node_modules')]) {
    if (fs.existsSync(path.join(base, pkg, 'package.json'))) return path.join(base, pkg);
  }
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

function binOf(pkg, relative) {
  return path.join(packageDir(pkg), relative);
}

export const BINS = {
  sparcArchitect: path.join(REPO_ROOT, 'packages/sparc-architect/dist/cli.js'),
  sparc: path.join(REPO_ROOT, 'apps/orchestrator/bin/sparc.js'),
  dpdm: binOf('dpdm', 'lib/bin/dpdm.js'),
  depcruise: binOf('dependency-cruiser', 'bin/dependency-cruise.mjs'),
  madge: binOf('madge', 'bin/cli.js'),
  oxlint: binOf('oxlint', 'bin/oxlint'),
};

export function versionOf(pkg) {
  return JSON.parse(fs.readFileSync(path.join(packageDir(pkg), 'package.json'), 'utf8')).version;
}

const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs `node <bin> ...args` in `cwd` and measures the whole process: wall time from spawn to exit,
 * and peak RSS (kernel high-water mark, through /usr/bin/time when present). `nodeArgs` go to node
 * itself, before the script.
 */
export function runProcess(bin, args, { cwd, timeoutMs = 600_000, okCodes = [0], nodeArgs = [] } = {}) {
  const command = TIME ? TIME : process.execPath;
  const argv = TIME ? ['-f', '%M', process.execPath, ...nodeArgs, bin, ...args] : [...nodeArgs, bin, ...args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      let peakKb;
      if (TIME) {
        const lines = stderr.trimEnd().split('\n');
        peakKb = Number(lines.pop());
        stderr = lines.join('\n');
      }
      if (!okCodes.includes(code)) {
        const firstError = stderr.split('\n').find((line) => /error/i.test(line)) ?? stderr.split('\n').find((line) => line.trim() !== '') ?? '';
        reject(new Error(`${path.basename(bin)} exited with ${code}: ${firstError.trim().slice(0, 300)}`));
        return;
      }
      resolve({ ms, peakBytes: Number.isFinite(peakKb) ? peakKb * 1024 : undefined, stdout, stderr, code });
    });
  });
}

/** Strongly connected components (with a cycle) of an edge list over string nodes: sorted member lists, sorted. */
export function sccsOf(edges) {
  const ids = new Map();
  const names = [];
  const id = (name) => {
    let i = ids.get(name);
    if (i === undefined) {
      i = names.length;
      ids.set(name, i);
      names.push(name);
    }
    return i;
  };
  const adjacency = [];
  for (const [from, to] of edges) {
    const f = id(from);
    const t = id(to);
    (adjacency[f] ??= []).push(t);
  }
  const n = names.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = [];
  let counter = 0;
  const out = [];
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const frames = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const [v, k] = frame;
      const next = adjacency[v] ?? [];
      if (k < next.length) {
        frame[1]++;
        const w = next[k];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          frames.push([w, 0]);
        } else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1][0];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
      if (low[v] === index[v]) {
        const members = [];
        let w;
        do {
          w = stack.pop();
          onStack[w] = 0;
          members.push(names[w]);
        } while (w !== v);
        if (members.length > 1 || (adjacency[v] ?? []).includes(v)) out.push(members.sort());
      }
    }
  }
  return out.map((m) => m.join('\n')).sort().map((m) => m.split('\n'));
}

/** Compares two SCC lists: equal, and what each has that the other has not. */
export function compareSccs(ours, theirs) {
  const key = (c) => c.join('|');
  const a = new Set(ours.map(key));
  const b = new Set(theirs.map(key));
  const onlyOurs = [...a].filter((k) => !b.has(k)).map((k) => k.split('|'));
  const onlyTheirs = [...b].filter((k) => !a.has(k)).map((k) => k.split('|'));
  return { equal: onlyOurs.length === 0 && onlyTheirs.length === 0, onlyOurs, onlyTheirs };
}

/** dpdm's `-o` JSON: `tree` maps each module to its dependencies (id null when unresolved). */
export function dpdmEdges(file) {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const edges = [];
  for (const [from, deps] of Object.entries(json.tree)) for (const dep of deps ?? []) if (dep.id) edges.push([from, dep.id]);
  return { edges, modules: Object.keys(json.tree).length };
}

/** dependency-cruiser's JSON: modules with their resolved dependencies (core and npm ones left out). */
export function depcruiseEdges(file) {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const edges = [];
  let modules = 0;
  const external = (source) => source.startsWith('node_modules/') || source.includes('/node_modules/');
  for (const module of json.modules) {
    if (module.coreModule || module.couldNotResolve || external(module.source)) continue;
    modules++;
    for (const dep of module.dependencies) if (!dep.coreModule && !dep.couldNotResolve && !external(dep.resolved)) edges.push([module.source, dep.resolved]);
  }
  return { edges, modules };
}

/** madge's `--json` tree, whose paths are relative to the common folder it was given; `prefix` puts them back. */
export function madgeEdges(stdout, prefix) {
  const json = JSON.parse(stdout);
  const edges = [];
  for (const [from, deps] of Object.entries(json)) for (const dep of deps) edges.push([path.posix.join(prefix, from), path.posix.join(prefix, dep)]);
  return { edges, modules: Object.keys(json).length };
}

/** Our graph.json artifact: modules and `[from, to, line, runtime, viaWorkspace]` edges. */
export function sparcEdges(file, includeTypeOnly) {
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const { modules, edges } = json.graph;
  return { edges: edges.filter((e) => includeTypeOnly || e[3] === 1).map((e) => [modules[e[0]], modules[e[1]]]), modules: modules.length, data: json };
}

/** dependency-cruiser options: the tsconfig, and whether pre-compilation (type-only) dependencies count. */
export function writeDepcruiseConfig(file, { tsconfig, typeEdges }) {
  const options = { doNotFollow: { path: 'node_modules' }, moduleSystems: ['es6', 'cjs'], tsPreCompilationDeps: typeEdges === 'include', ...(tsconfig ? { tsConfig: { fileName: tsconfig } } : {}) };
  fs.writeFileSync(file, JSON.stringify({ options, forbidden: [] }, null, 2));
}
