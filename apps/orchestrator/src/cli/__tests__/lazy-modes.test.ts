import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const MAIN_JS = path.join(__dirname, '..', '..', '..', 'dist', 'cli', 'main.js');
const MODE_PACKAGES = /[\\/](sparc-architect|sparc-code|sparc-tdd|sparc-integration)[\\/]|[\\/]modes[\\/]builtin[\\/]|[\\/]node_modules[\\/](ajv|yaml|handlebars)[\\/]/;

/** Runs the built CLI's `main` in a fresh process and reports the exit code and which mode packages it loaded. */
function loadedBy(argv: string[]): { code: number; loaded: string[] } {
  const script = `
    const quiet = { write: () => true };
    require(${JSON.stringify(MAIN_JS)}).main(${JSON.stringify(argv)}, { stdout: quiet, stderr: quiet }).then((code) => {
      const loaded = new Set();
      for (const file of Object.keys(require.cache)) {
        const hit = ${MODE_PACKAGES}.exec(file);
        if (hit) loaded.add(hit[1] ?? (hit[2] ? hit[2] : 'builtin'));
      }
      process.stdout.write(JSON.stringify({ code, loaded: [...loaded].sort() }));
    });`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { code: number; loaded: string[] };
}

describe('modes load on demand', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await fsp.realpath(await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-lazy-modes-')));
    await fsp.mkdir(path.join(dir, 'src'));
    await fsp.writeFile(path.join(dir, 'src', 'a.ts'), "import { b } from './b';\nexport const a = b;\n");
    await fsp.writeFile(path.join(dir, 'src', 'b.ts'), 'export const b = 1;\n');
  });

  afterAll(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('"sparc architect" loads the architect package and no other mode package', () => {
    expect(loadedBy(['architect', '--dir', dir, '--json', '--no-cache', '--format', 'json'])).toEqual({ code: 0, loaded: ['sparc-architect'] });
  });

  it('"sparc modes" loads every mode to list it', () => {
    const { code, loaded } = loadedBy(['modes', '--dir', dir]);
    expect(code).toBe(0);
    expect(loaded).toEqual(expect.arrayContaining(['builtin', 'sparc-architect', 'sparc-code', 'sparc-integration', 'sparc-tdd']));
  });
});
