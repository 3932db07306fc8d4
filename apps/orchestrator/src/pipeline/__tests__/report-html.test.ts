import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { runPipeline } from '../index';
import { Barrier, FIXTURE_SPEC, probeMode, registryOf, tempWorkspace, type ProbeCall } from './probe-modes';

const MERMAID = `graph LR
  app["src/app.ts"] --> todo["src/todo/todo.service.ts"]
  todo --> repo["src/todo/todo.repository.ts"]
  repo --> todo
  app --> errors["src/errors.ts"]
`;

/** PNG width and height from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('report.html in headless Chromium', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let profile: string;
  let browser: BrowserContext | undefined;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempWorkspace('sparc-report-'));
    profile = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-chromium-'));
  });
  afterAll(async () => {
    await browser?.close();
    await fsp.rm(profile, { recursive: true, force: true });
    await cleanup();
  });

  it('renders the timeline with the parallel modes side by side, the findings and the architecture diagram, fetching nothing', async () => {
    await fsp.writeFile(path.join(dir, 'sparc.spec.json'), JSON.stringify(FIXTURE_SPEC));
    const calls: ProbeCall[] = [];
    const together = new Barrier(['code', 'tdd']);
    const modes = registryOf(
      probeMode('spec', calls),
      probeMode('architect', calls, { artifacts: { 'components.mmd': MERMAID }, data: { modules: 4, cycles: [['src/todo/todo.service.ts', 'src/todo/todo.repository.ts']] } }),
      probeMode('code', calls, { commands: ['generate'], barrier: together }),
      probeMode('tdd', calls, { commands: ['generate'], barrier: together, status: 'failed' }),
    );
    await fsp.writeFile(
      path.join(dir, 'sparc.config.json'),
      JSON.stringify({ pipelines: { short: [{ name: 'specification', modes: ['spec'] }, { name: 'architecture', modes: ['architect'] }, { name: 'implementation', modes: ['code', 'tdd'] }] } }),
    );
    const result = await runPipeline({ dir, modes, pipeline: 'short' });
    expect(result.status).toBe('failed');
    const file = path.join(result.reportDir, 'report.html');
    const html = await fsp.readFile(file, 'utf8');
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);

    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });

    const timeline = page.locator('#timeline');
    expect(await timeline.isVisible()).toBe(true);
    const box = await timeline.boundingBox();
    expect(box && box.width > 0 && box.height > 0).toBe(true);
    const shot = pngSize(await timeline.screenshot({ path: path.join(result.reportDir, 'timeline.png') }));
    expect(shot.width).toBeGreaterThan(0);
    expect(shot.height).toBeGreaterThan(0);
    const page1 = pngSize(await page.screenshot({ fullPage: true }));
    expect(page1.height).toBeGreaterThan(shot.height);

    // One bar per mode; the bars of the parallel stage overlap on screen as they did in time.
    expect(await page.locator('#timeline rect.bar').count()).toBe(4);
    const code = await page.locator('#timeline rect.bar[data-mode="code"]').boundingBox();
    const tdd = await page.locator('#timeline rect.bar[data-mode="tdd"]').boundingBox();
    const architect = await page.locator('#timeline rect.bar[data-mode="architect"]').boundingBox();
    expect(code && tdd && architect).toBeTruthy();
    if (!code || !tdd || !architect) return;
    expect(code.x <= tdd.x + tdd.width && tdd.x <= code.x + code.width).toBe(true);
    expect(Math.min(code.x, tdd.x)).toBeGreaterThanOrEqual(architect.x);
    // The offsets the bars are drawn from: the implementation stage started after the architecture stage ended.
    const offset = async (mode: string, edge: 'start' | 'end') => Number(await page.locator(`#timeline rect.bar[data-mode="${mode}"]`).getAttribute(`data-${edge}-ms`));
    expect(await offset('code', 'start')).toBeGreaterThanOrEqual(await offset('architect', 'end'));
    expect(await page.locator('#timeline rect.bar.failed').getAttribute('data-mode')).toBe('tdd');

    // Findings of each mode, and the diagram drawn from the architect's Mermaid artifact.
    expect(await page.locator('#mode-tdd + .summary-line, section.mode').count()).toBeGreaterThanOrEqual(4);
    expect(await page.getByText('tdd reports failed').isVisible()).toBe(true);
    const diagram = page.locator('#architecture-diagram');
    expect(await diagram.isVisible()).toBe(true);
    expect(await diagram.locator('g.node').count()).toBe(4);
    expect(await diagram.locator('path.edge.cycle').count()).toBe(1);
    expect(await page.getByText('src/todo/todo.service.ts → src/todo/todo.repository.ts').isVisible()).toBe(true);

    expect(requests).toEqual([url]);
  }, 90_000);
});
