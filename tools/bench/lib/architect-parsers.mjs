/**
 * The parser choice, measured: for the files of a corpus, single-threaded in this process, the raw
 * floor (reading the files), es-module-lexer (ESM imports only: no require(), no type
 * information), oxc-parser's module record (imports, but not which bindings are used as values),
 * oxc-parser with the AST walked for value uses (exact, what the scanner must match), and the
 * architect scanner (imports, require(), dynamic import() and value uses of every binding).
 */
import fs from 'node:fs';
import { Buffer } from 'node:buffer';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from './architect-peers.mjs';

const require = createRequire(path.join(REPO_ROOT, 'packages/sparc-architect/package.json'));

export async function loadParsers() {
  const architect = require(path.join(REPO_ROOT, 'packages/sparc-architect/dist/index.js'));
  const oxcExtract = require(path.join(REPO_ROOT, 'packages/sparc-architect/dist/lib/parse/oxc-extract.js'));
  const oxc = await import(require.resolve('oxc-parser'));
  const lexer = await import(require.resolve('es-module-lexer'));
  await lexer.init;
  return { architect, oxc, oxcExtract, lexer };
}

export function listFiles(root, folders, extensions) {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(abs);
      } else if (extensions.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith('.d.ts')) out.push(abs);
    }
  };
  for (const folder of folders) walk(path.join(root, folder));
  return out.sort();
}

/**
 * Times each way of extracting imports over the same files, in rounds that alternate the order.
 * The first round of a fresh process is the one a CLI run pays (cold JIT), so it is kept apart.
 */
export function measureParsers(parsers, files, rounds) {
  const sources = files.map((f) => fs.readFileSync(f, 'utf8'));
  const { architect, oxc, oxcExtract, lexer } = parsers;
  let imports = 0;
  const sides = {
    'read files (floor)': () => {
      for (const f of files) fs.readFileSync(f, 'utf8');
    },
    'es-module-lexer (ESM only)': () => {
      for (const s of sources) {
        try {
          imports += lexer.parse(s)[0].length;
        } catch {
          // JSX and some TypeScript it does not lex
        }
      }
    },
    'oxc-parser module record': () => {
      for (let i = 0; i < files.length; i++) imports += oxc.parseSync(files[i], sources[i]).module.staticImports.length;
    },
    'oxc-parser + AST walk (exact)': () => {
      for (let i = 0; i < files.length; i++) imports += oxcExtract.extractWithOxc(oxc.parseSync, files[i], sources[i]).imports.length;
    },
    'architect scanner': () => {
      for (let i = 0; i < files.length; i++) {
        try {
          imports += architect.scanSource(sources[i], architect.langOf(files[i])).length;
        } catch {
          // a bailout goes to oxc in the real pipeline
        }
      }
    },
  };
  const samples = Object.fromEntries(Object.keys(sides).map((name) => [name, []]));
  const names = Object.keys(sides);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const started = performance.now();
      sides[name]();
      samples[name].push(performance.now() - started);
    }
  }
  return { samples, bytes: sources.reduce((sum, s) => sum + Buffer.byteLength(s), 0), imports };
}
