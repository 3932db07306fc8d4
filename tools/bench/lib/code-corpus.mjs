/** The codemod corpus: many small TypeScript files, half of which call the function the transform renames. */
import fs from 'node:fs/promises';
import path from 'node:path';

export const RENAME_FROM = 'fetchUser';
export const RENAME_TO = 'loadUser';

/**
 * The transform both tools run, in jscodeshift's module format: `(fileInfo) => string | undefined`
 * (jscodeshift passes `api` and `options` too; this one needs neither, so sparc runs the very same
 * file). Undefined means "unchanged" to both.
 */
export const TRANSFORM_SOURCE = `'use strict';
module.exports = function renameFetchUser(file) {
  if (!file.source.includes('${RENAME_FROM}')) return undefined;
  return file.source.replace(/\\b${RENAME_FROM}\\b/g, '${RENAME_TO}');
};
`;

/** What the transform makes of `source` (the check every sample runs). */
export function expectedOutput(source) {
  return source.includes(RENAME_FROM) ? source.replace(new RegExp(`\\b${RENAME_FROM}\\b`, 'g'), RENAME_TO) : source;
}

function fileSource(i) {
  const calls = i % 2 === 0;
  const lines = [
    `import { ${calls ? RENAME_FROM : 'formatDate'} } from '../shared/api';`,
    `import type { Context } from '../shared/context';`,
    '',
    `/** Module ${i}: a handler with a little logic, so files are not trivially small. */`,
    `export interface Input${i} {`,
    '  id: string;',
    '  limit?: number;',
    '}',
    '',
    `export async function handle${i}(ctx: Context, input: Input${i}): Promise<string[]> {`,
    '  const out: string[] = [];',
    `  for (let n = 0; n < (input.limit ?? ${(i % 7) + 3}); n++) {`,
    calls ? `    const user = await ${RENAME_FROM}(ctx, \`\${input.id}-\${n}\`);` : `    const when = formatDate(new Date(${i * 1000} + n));`,
    calls ? '    out.push(user.name);' : '    out.push(when);',
    '  }',
    `  return out.filter((value) => value.length > ${i % 5});`,
    '}',
    '',
  ];
  return lines.join('\n');
}

/** Writes `count` files in folders of 100 under `dir/src`; returns their relative paths and sources. */
export async function writeCorpus(dir, count) {
  const files = [];
  for (let i = 0; i < count; i++) {
    const rel = `src/mod-${String(Math.floor(i / 100)).padStart(3, '0')}/file-${String(i).padStart(5, '0')}.ts`;
    files.push({ path: rel, source: fileSource(i) });
  }
  const folders = new Set(files.map((f) => path.dirname(f.path)));
  for (const folder of folders) await fs.mkdir(path.join(dir, folder), { recursive: true });
  await writeAll(dir, files.map((f) => ({ path: f.path, content: f.source })));
  return files;
}

/** Writes files with a few dozen in flight (untimed set-up and reset). */
export async function writeAll(dir, files) {
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const file = files[next++];
      await fs.writeFile(path.join(dir, file.path), file.content);
    }
  };
  await Promise.all(Array.from({ length: 32 }, lane));
}

/** Throws unless every file holds what the transform makes of its original. */
export async function verifyCorpus(dir, files, side) {
  let changed = 0;
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const file = files[next++];
      const expected = expectedOutput(file.source);
      const actual = await fs.readFile(path.join(dir, file.path), 'utf8');
      if (actual !== expected) throw new Error(`${side}: ${file.path} does not hold the transformed source`);
      if (expected !== file.source) changed++;
    }
  };
  await Promise.all(Array.from({ length: 32 }, lane));
  return changed;
}
