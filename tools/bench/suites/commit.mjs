import fs from 'node:fs/promises';
import path from 'node:path';
import { removeDir, tempWorkspace } from '../lib/core.mjs';
import { alternate } from '../lib/harness.mjs';
import { formatMicros, formatMs, formatRatio, formatSpread } from '../lib/stats.mjs';

const FILES = 1000;
const FOLDERS = 10;
const FILE_BYTES = 2048;
const BAR = 2;

/** ~2 KB of readable text that differs per file, so a misplaced file cannot pass the check. */
function contentFor(index) {
  const line = `file ${index}: the quick brown fox jumps over the lazy dog ${index * 7919}\n`;
  return line.repeat(Math.ceil(FILE_BYTES / line.length)).slice(0, FILE_BYTES);
}

function filesUnder(prefix) {
  return Array.from({ length: FILES }, (_, i) => ({
    path: `${prefix}/dir-${i % FOLDERS}/file-${String(i).padStart(4, '0')}.txt`,
    content: contentFor(i),
  }));
}

async function expectFilesOnDisk(root, files, side) {
  for (const file of files) {
    const actual = await fs.readFile(path.join(root, file.path), 'utf8');
    if (actual !== file.content) throw new Error(`${side}: ${file.path} does not hold what was written`);
  }
}

export async function run({ core, quick, log }) {
  const createFiles = core.createFiles;
  const { dir, workspace, dispose } = await tempWorkspace(core, 'commit');
  if (typeof workspace.transaction !== 'function') throw new Error('Workspace has no transaction() method');
  let sample = 0;

  /** A side writes the files under a folder no earlier sample used; the check reads them back, then removes them. */
  const side = (name, write) => {
    let files;
    let prefix;
    return {
      name,
      before: () => {
        prefix = `s${sample++}-${name.replace(/\W+/g, '-')}`;
        files = filesUnder(prefix);
      },
      run: () => write(files, prefix),
      after: async () => {
        await expectFilesOnDisk(dir, files, name);
        await removeDir(path.join(dir, prefix));
      },
    };
  };

  const sides = [
    side('plain sequential fs.writeFile', async (files, prefix) => {
      for (let f = 0; f < FOLDERS; f++) await fs.mkdir(path.join(dir, prefix, `dir-${f}`), { recursive: true });
      for (const file of files) await fs.writeFile(path.join(dir, file.path), file.content);
    }),
    side('FileTransaction commit', async (files) => {
      const txn = workspace.transaction();
      for (const file of files) await txn.writeFile(file.path, file.content);
      await txn.commit();
    }),
  ];
  if (typeof createFiles === 'function') {
    sides.push(side('createFiles()', (files) => createFiles(workspace, files)));
  }

  const rounds = quick ? 1 : 5;
  try {
    const measured = await alternate(sides, { rounds, warmupRounds: 1, log });
    const plainMs = measured[sides[0].name].median;
    const slowdown = (name) => measured[name].median / plainMs;
    const rows = sides.map(({ name }) => [name, formatMs(measured[name].median), formatMicros((measured[name].median / FILES) * 1000), formatRatio(slowdown(name)), formatSpread(measured[name].samples)]);
    const checked = sides.slice(1).map((s) => s.name);
    const journalLeft = await fs.readdir(path.join(dir, '.sparc', 'txn')).catch(() => []);
    return {
      title: `${FILES.toLocaleString('en-US')}-file atomic commit vs plain sequential writes`,
      method: [
        `${FILES.toLocaleString('en-US')} files of ${FILE_BYTES} bytes in ${FOLDERS} folders, written into a folder no earlier sample used, on ${dir.startsWith('/tmp') ? 'the temp folder' : 'a temp folder'} of the same file system for every side.`,
        'Plain side: `mkdir -p` of the folders, then `fs.promises.writeFile` one file after the other (no fsync, no rollback). Transaction side: `workspace.transaction()`, `writeFile` for each file, `commit()` (journal, temp file + fsync + rename per file, journal removed)' +
          (typeof createFiles === 'function' ? '; `createFiles(workspace, files)` does the same through its own transaction.' : '.'),
        `Every sample reads all files back and compares their content, untimed. Alternating harness, ${rounds} rounds after a warm-up round; the ratio is side median / plain median (lower is better).`,
      ],
      columns: ['side', 'median time', 'per file', '× plain time', 'rounds (ms)'],
      rows,
      checks: checked.map((name) => ({ label: `${name} vs plain writes`, display: formatRatio(slowdown(name)), bar: `≤ ${BAR}× plain time`, pass: slowdown(name) <= BAR })),
      notes: journalLeft.length ? [`${journalLeft.length} journal entr(ies) were left under .sparc/txn after the run`] : [],
    };
  } finally {
    await dispose();
  }
}
