import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createModeContext, runMode, Workspace, type ModeRunResult, type RunnableMode, type SparcSpec } from '@sparc/batch-core';
import { architectMode } from '../lib/mode';
import { architectOptionsSchema } from '../lib/options';
import { plainArchitectMode } from '../lib/plain/plain-mode';
import { GENERATED_SCHEMAS_FILE, renderPlainSchemas } from '../lib/plain/render-schemas';
import { tempDir, writeFiles, type TempDir } from './helpers';

describe('the plain stand-in for architectMode (what the standalone CLI runs without zod)', () => {
  it('was generated from the current zod schemas (if not: npm run generate:plain-schemas)', () => {
    const generated = readFileSync(path.resolve(__dirname, '..', '..', GENERATED_SCHEMAS_FILE), 'utf8');
    expect(generated).toBe(renderPlainSchemas());
  });

  it('has the name, summary, positional option and option keys of architectMode', () => {
    expect(plainArchitectMode).toMatchObject({ name: architectMode.name, summary: architectMode.summary, positionals: architectMode.positionals });
    expect(Object.keys(plainArchitectMode.options.shape)).toEqual(Object.keys(architectMode.options.shape));
    expect(Object.keys(plainArchitectMode.commands)).toEqual(Object.keys(architectMode.commands));
  });

  it('accepts and refuses the same options as the zod schema, with the same result or the same issues', async () => {
    const samples: unknown[] = [
      {},
      { src: ['src', 'lib'], typeEdges: 'include', workspaces: false, cache: false, format: ['json'] },
      { componentDepth: 1 },
      { componentDepth: 32, parser: 'oxc', gitignore: false, failOnCycles: true, rules: 'rules.json', tsconfig: 'tsconfig.json' },
      { include: [], exclude: ['**/*.test.ts'] },
      { componentDepth: 0 },
      { componentDepth: 33 },
      { componentDepth: 2.5 },
      { componentDepth: '2' },
      { src: [''] },
      { src: 'src' },
      { tsconfig: '' },
      { typeEdges: 'both' },
      { format: ['pdf'] },
      { parser: undefined, rules: undefined },
      { unknownOption: true },
      null,
      [],
    ];
    for (const sample of samples) {
      const plain = await plainArchitectMode.options.safeParseAsync(sample);
      const zod = await architectOptionsSchema.safeParseAsync(sample);
      expect({ sample, success: plain.success }).toEqual({ sample, success: zod.success });
      if (plain.success) expect(JSON.stringify(plain.data)).toBe(JSON.stringify(zod.data));
      else expect(plain.error.issues).toEqual(zod.error?.issues);
    }
  });

  describe('runs', () => {
    let tmp: TempDir;
    beforeAll(async () => {
      tmp = await tempDir('plain-mode');
      await writeFiles(tmp.dir, {
        'package.json': JSON.stringify({ name: 'app', private: true, workspaces: ['libs/*'] }),
        'libs/util/package.json': JSON.stringify({ name: '@app/util', main: './src/index.ts' }),
        'libs/util/src/index.ts': "import { main } from '../../../src/main';\nexport const util = () => main;\n",
        'src/main.ts': "import { util } from '@app/util';\nimport lodash from 'lodash';\nimport './missing';\nexport const main = () => [util, lodash];\n",
        'src/types.ts': "import type { main } from './main';\nexport type M = typeof main;\n",
        'rules.json': JSON.stringify({ forbidden: [{ name: 'no-lodash', from: 'src/**', to: 'lodash', severity: 'warning', comment: 'use the std lib' }] }),
      });
    });
    afterAll(() => tmp.cleanup());

    async function run(mode: RunnableMode, options: unknown, spec?: SparcSpec): Promise<ModeRunResult> {
      const workspace = await Workspace.open(tmp.dir);
      const { ctx, close } = createModeContext({ workspace, mode: 'architect', ...(spec ? { spec } : {}) });
      try {
        return await runMode(mode, ctx, options);
      } finally {
        await close();
      }
    }

    /** The parts of a result that may differ between two runs of the same thing. */
    function comparable(result: ModeRunResult): string {
      return JSON.stringify(result, (key, value: unknown) => {
        if (key === 'durationMs' || key === 'timingsMs' || key === 'parsedInline' || key === 'parsedInPool' || key === 'chunks') return undefined;
        if (key === 'artifacts') return (value as string[]).map((a) => a.replace(/^\.sparc\/reports\/[^/]+\//, ''));
        return value;
      });
    }

    it.each([
      ['defaults', { cache: false }],
      ['rules, type edges and one format', { cache: false, rules: 'rules.json', typeEdges: 'include', format: ['json'] }],
      ['a missing rules file', { cache: false, rules: 'nope.json' }],
      ['cycles as errors', { cache: false, failOnCycles: true, format: [] }],
      ['invalid options', { componentDepth: 0, unknown: 1 }],
    ])('give the same result as architectMode (%s)', async (_label, options) => {
      const plain = await run(plainArchitectMode, options);
      const zod = await run(architectMode, options);
      expect(plain.summary).not.toBe('');
      expect(comparable(plain)).toBe(comparable(zod));
    });

    it('give the same result with planned modules from a spec', async () => {
      const spec = { targets: { modules: [{ path: 'src/new.ts', imports: ['./main', 'lodash'] }] } } as unknown as SparcSpec;
      const options = { cache: false, rules: 'rules.json', format: [] };
      const plain = await run(plainArchitectMode, options, spec);
      expect((plain.data as { planned: unknown[] }).planned).toHaveLength(1);
      expect(comparable(plain)).toBe(comparable(await run(architectMode, options, spec)));
    });
  });
});
