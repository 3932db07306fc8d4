import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { dataOf, runArchitect, tempDir, type TempDir } from './helpers';

const DEPTH = 100_000;

describe('a 100,000-module import chain', () => {
  let tmp: TempDir;
  beforeAll(async () => {
    tmp = await tempDir('chain');
    const dir = path.join(tmp.dir, 'src');
    mkdirSync(dir);
    // m0 -> m1 -> ... -> m99999 -> m0: one cycle through every module.
    for (let i = 0; i < DEPTH; i++) writeFileSync(path.join(dir, `m${i}.ts`), `import { v${(i + 1) % DEPTH} } from './m${(i + 1) % DEPTH}';\nexport const v${i} = () => v${(i + 1) % DEPTH};\n`);
  }, 120_000);
  afterAll(() => tmp.cleanup(), 60_000);

  it('is analysed without overflowing the stack, as one strongly connected component', async () => {
    const result = await runArchitect(tmp.dir, { cache: false, format: ['md', 'mermaid'] });
    const data = dataOf(result);
    expect(data.modules).toBe(DEPTH);
    expect(data.edges).toBe(DEPTH);
    expect(data.cycles).toHaveLength(1);
    expect(data.cycles[0]).toHaveLength(DEPTH);
    expect(data.cycleExamples[0]).toHaveLength(DEPTH);
    expect(data.cycleCount).toEqual({ count: 1, complete: true });
    const cycles = result.findings.filter((f) => f.rule === 'architect.cycle');
    expect(cycles).toHaveLength(1);
    // Messages and reports stay readable: the middle of a long cycle is elided.
    expect(cycles[0].message).toContain('… 99988 more');
    expect(cycles[0].message.length).toBeLessThan(500);
    for (const artifact of result.artifacts) expect(readFileSync(path.join(tmp.dir, artifact), 'utf8').length).toBeLessThan(20_000);
  }, 120_000);
});
