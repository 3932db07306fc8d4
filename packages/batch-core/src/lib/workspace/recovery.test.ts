import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { compileForChild } from './__tests__/compile-for-child';
import { leftovers, makeTempDir, snapshotTree, writeTree } from './__tests__/tree';
import { JOURNAL_FOLDER, tempNameFor, writeJournal, type JournalManifest } from './journal';
import { recoverJournals } from './recovery';
import { JournalCorruptError } from './transaction-errors';
import { Workspace } from './workspace';

const SOURCE_ROOT = path.resolve(__dirname, '../..');
const CRASH_FIXTURE = path.join(__dirname, '__fixtures__', 'crash-commit.js');
/** The fixture and the sources it requires, compiled once for all children. */
let compiledFixture: string;

/** The tree the crash fixture starts from. */
const OLD_FILES = {
  'src/a.ts': 'export const a = 1;\n',
  'src/b.ts': 'export const b = 1;\n',
  'lib/util/c.ts': 'export const c = "old c";\n',
  'docs/readme.md': '# readme\n',
  'gone/x.txt': 'x\n',
  'gone/sub/y.txt': 'y\n',
};

/** What the fixture's transaction makes of it. */
const NEW_TREE = {
  'docs/': '',
  'fresh/': '',
  'fresh/deep/': '',
  'fresh/deep/n.ts': 'export const n = 1;\n',
  'lib/': '',
  'lib/util/': '',
  'lib/util/c.ts': 'export const c = "new c";\n',
  'moved/': '',
  'moved/b.ts': 'export const b = 1;\n',
  'src/': '',
  'src/a.ts': 'export const a = 2;\n',
  'src/new.ts': 'export const fresh = true;\n',
};

interface ChildOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the fixture's commit in a child process that SIGKILLs itself at `phase` (`index`). */
function commitInChild(root: string, phase: string, index: number): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [compiledFixture, root, phase, String(index)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

interface CrashCase {
  phase: string;
  index: number;
  /** The tree after the next open: the old one until the commit point, the new one after. */
  expected: 'old' | 'new';
  /** The tree was already changed when the process died. */
  touched: boolean;
  /** The journal was still there when the process died. */
  journal: boolean;
}

const CRASHES: CrashCase[] = [
  { phase: 'journal-written', index: 0, expected: 'old', touched: false, journal: true },
  { phase: 'deleted', index: 1, expected: 'old', touched: true, journal: true },
  { phase: 'temp-written', index: 2, expected: 'old', touched: true, journal: true },
  { phase: 'renamed', index: 1, expected: 'old', touched: true, journal: true },
  { phase: 'before-cleanup', index: 0, expected: 'old', touched: true, journal: true },
  { phase: 'committed', index: 0, expected: 'new', touched: true, journal: true },
  { phase: 'cleaned-up', index: 0, expected: 'new', touched: true, journal: false },
];
/** A run kept for the recovery report test. */
const REPORT_RUN = { phase: 'renamed', index: 3 };

interface CrashRun {
  root: string;
  child: ChildOutcome;
  /** Tree and journals as the dead process left them, before any recovery. */
  leftBehind: Record<string, string>;
  journals: string[];
}

let oldTree: Record<string, string>;
const runs = new Map<string, CrashRun>();
const roots: string[] = [];

async function prepare(): Promise<string> {
  const root = await makeTempDir('sparc-crash-');
  roots.push(root);
  await writeTree(root, OLD_FILES);
  return root;
}

async function listJournals(root: string): Promise<string[]> {
  return fsp.readdir(path.join(root, '.sparc', 'txn')).catch(() => []);
}

function runOf(phase: string, index: number): CrashRun {
  const run = runs.get(`${phase}#${index}`);
  if (run === undefined) throw new Error(`no run for ${phase}#${index}`);
  return run;
}

beforeAll(async () => {
  const buildDir = await makeTempDir('sparc-crash-build-');
  roots.push(buildDir);
  compiledFixture = await compileForChild(SOURCE_ROOT, CRASH_FIXTURE, buildDir);
  oldTree = await snapshotTree(await prepare());
  await Promise.all(
    [...CRASHES, REPORT_RUN].map(async ({ phase, index }) => {
      const root = await prepare();
      const child = await commitInChild(root, phase, index);
      runs.set(`${phase}#${index}`, { root, child, leftBehind: await snapshotTree(root), journals: await listJournals(root) });
    }),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(roots.map((root) => fsp.rm(root, { recursive: true, force: true })));
});

describe('a commit killed with SIGKILL', () => {
  it.each(CRASHES)('at $phase #$index leaves the $expected tree after the next open', async ({ phase, index, expected, touched, journal }) => {
    const run = runOf(phase, index);
    expect({ signal: run.child.signal, stderr: run.child.stderr }).toEqual({ signal: 'SIGKILL', stderr: '' });
    expect(run.journals).toHaveLength(journal ? 1 : 0);
    if (touched) expect(run.leftBehind).not.toEqual(oldTree);
    else expect(run.leftBehind).toEqual(oldTree);

    await Workspace.open(run.root);

    expect(await snapshotTree(run.root)).toEqual(expected === 'old' ? oldTree : NEW_TREE);
    expect(await leftovers(run.root)).toEqual([]);
  });
});

describe('recoverJournals', () => {
  const txnId = (pid: number) => `${Date.now().toString(36)}-${pid}-0badc0de`;

  it('reports what it restored and removed', async () => {
    const { root, child } = runOf(REPORT_RUN.phase, REPORT_RUN.index);
    expect(child.signal).toBe('SIGKILL');
    const workspace = await Workspace.open(root, { recover: false });
    const report = await recoverJournals(workspace);
    expect(report.skipped).toEqual([]);
    expect(report.recovered).toHaveLength(1);
    expect(report.recovered[0]).toMatchObject({
      outcome: 'rolled-back',
      restored: ['docs/readme.md', 'gone/sub/y.txt', 'gone/x.txt', 'lib/util/c.ts', 'src/a.ts', 'src/b.ts'],
    });
    expect(report.recovered[0].removed.length).toBeGreaterThan(0);
    expect(['fresh/deep/n.ts', 'moved/b.ts', 'src/new.ts']).toEqual(expect.arrayContaining(report.recovered[0].removed));
    expect(await snapshotTree(root)).toEqual(oldTree);
    expect(await recoverJournals(workspace)).toEqual({ recovered: [], skipped: [] });
  });

  it('finishes a rollback that was itself interrupted', async () => {
    const root = await prepare();
    const id = txnId(process.pid);
    const abs = (rel: string) => path.join(root, rel);
    const manifest: JournalManifest = {
      version: 1,
      txnId: id,
      pid: process.pid,
      hostname: 'here',
      createdAt: new Date().toISOString(),
      targets: [
        { path: 'src/a.ts', existed: true, backup: 'b0', temp: tempNameFor(abs('src/a.ts'), id, 0) },
        { path: 'src/new.ts', existed: false, temp: tempNameFor(abs('src/new.ts'), id, 1) },
        { path: 'docs/readme.md', existed: true, backup: 'b2' },
      ],
      createdDirs: [],
      removedDirs: [],
    };
    await writeJournal(root, manifest, [{ source: abs('src/a.ts'), name: 'b0' }, { source: abs('docs/readme.md'), name: 'b2' }], 2);
    // The commit got this far: a delete, a temp file, a rename.
    await fsp.rm(abs('docs/readme.md'));
    await fsp.writeFile(path.join(root, 'src', tempNameFor(abs('src/new.ts'), id, 1)), 'new');
    await fsp.writeFile(path.join(root, 'src', tempNameFor(abs('src/a.ts'), id, 0)), 'changed a');
    await fsp.rename(path.join(root, 'src', tempNameFor(abs('src/a.ts'), id, 0)), abs('src/a.ts'));
    // A first recovery restored src/a.ts, then died.
    await fsp.rename(path.join(root, JOURNAL_FOLDER, id, 'b0'), abs('src/a.ts'));

    await Workspace.open(root);

    expect(await snapshotTree(root)).toEqual(oldTree);
    expect(await leftovers(root)).toEqual([]);
  });

  it('deletes a journal without a manifest and leaves the tree alone', async () => {
    const root = await prepare();
    const journal = path.join(root, '.sparc', 'txn', txnId(2 ** 22 + 1));
    await fsp.mkdir(journal, { recursive: true });
    await fsp.writeFile(path.join(journal, 'b0'), 'a backup written before the manifest');
    const report = await recoverJournals(await Workspace.open(root, { recover: false }));
    expect(report.recovered).toEqual([{ txnId: path.basename(journal), outcome: 'discarded', restored: [], removed: [] }]);
    expect(await snapshotTree(root)).toEqual(oldTree);
    expect(await leftovers(root)).toEqual([]);
  });

  it('leaves the journal of a process that is still running alone', async () => {
    const root = await prepare();
    const id = txnId(process.ppid);
    await fsp.mkdir(path.join(root, '.sparc', 'txn', id), { recursive: true });
    const report = await recoverJournals(await Workspace.open(root, { recover: false }));
    expect(report).toEqual({ recovered: [], skipped: [{ txnId: id, reason: `process ${process.ppid} is still running` }] });
    expect(await listJournals(root)).toEqual([id]);
  });

  it('refuses to guess when a manifest is unreadable, and keeps the journal', async () => {
    const root = await prepare();
    const journal = path.join(root, '.sparc', 'txn', txnId(2 ** 22 + 2));
    await fsp.mkdir(journal, { recursive: true });
    await fsp.writeFile(path.join(journal, 'manifest.json'), '{"version":1,"targets":"nope"}');
    await expect(Workspace.open(root)).rejects.toBeInstanceOf(JournalCorruptError);
    await expect(Workspace.open(root)).rejects.toMatchObject({ code: 'JOURNAL_CORRUPT' });
    expect(await listJournals(root)).toEqual([path.basename(journal)]);
  });

  it('refuses a manifest that points outside the workspace', async () => {
    const root = await prepare();
    const journal = path.join(root, '.sparc', 'txn', txnId(2 ** 22 + 3));
    await fsp.mkdir(journal, { recursive: true });
    const manifest = { version: 1, txnId: path.basename(journal), pid: 1, hostname: 'h', createdAt: '', targets: [{ path: '../outside.txt', existed: false }], createdDirs: [], removedDirs: [] };
    await fsp.writeFile(path.join(journal, 'manifest.json'), JSON.stringify(manifest));
    await expect(Workspace.open(root)).rejects.toMatchObject({ code: 'PATH_OUTSIDE_WORKSPACE' });
  });
});
