import { promises as fsp } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';

const REQUIRE_CALL = /require\((["'])([^"']+)\1\)/g;

/**
 * Transpiles `entry` and every module it reaches through relative requires into `outDir`, keeping
 * the layout under `srcRoot`, with package requires pinned to what `srcRoot` resolves them to.
 * A child process then runs the sources as plain JavaScript: starting ts-node in every child of a
 * crash test costs about a second of CPU each, this costs a few milliseconds per module once.
 */
export async function compileForChild(srcRoot: string, entry: string, outDir: string): Promise<string> {
  const packageRequire = createRequire(path.join(srcRoot, 'index.js'));
  const pending = [entry];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (done.has(file)) continue;
    done.add(file);
    const source = await fsp.readFile(file, 'utf8');
    const code = file.endsWith('.ts')
      ? ts.transpileModule(source, { fileName: file, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText
      : source;
    const rewritten = await replaceAsync(code, async (quote, request) => {
      if (request.startsWith('.')) {
        pending.push(await sourceFileOf(path.resolve(path.dirname(file), request)));
        return `require(${quote}${request}${quote})`;
      }
      return isBuiltin(request) ? `require(${quote}${request}${quote})` : `require(${JSON.stringify(packageRequire.resolve(request))})`;
    });
    const out = path.join(outDir, path.relative(srcRoot, file)).replace(/\.ts$/, '.js');
    await fsp.mkdir(path.dirname(out), { recursive: true });
    await fsp.writeFile(out, rewritten);
  }
  return path.join(outDir, path.relative(srcRoot, entry)).replace(/\.ts$/, '.js');
}

async function sourceFileOf(base: string): Promise<string> {
  for (const candidate of [`${base}.ts`, `${base}.js`, path.join(base, 'index.ts')]) {
    try {
      if ((await fsp.stat(candidate)).isFile()) return candidate;
    } catch {
      // try the next form
    }
  }
  throw new Error(`cannot find the source of ${base}`);
}

async function replaceAsync(code: string, replace: (quote: string, request: string) => Promise<string>): Promise<string> {
  const parts: string[] = [];
  let last = 0;
  for (const match of code.matchAll(REQUIRE_CALL)) {
    parts.push(code.slice(last, match.index), await replace(match[1], match[2]));
    last = (match.index ?? 0) + match[0].length;
  }
  parts.push(code.slice(last));
  return parts.join('');
}
