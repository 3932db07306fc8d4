import { spawn } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'sparc.js');

interface Summary {
  runId: string;
  status: string;
  stages: Array<{ name: string; status: string; durationMs: number; modes: Array<{ name: string; status: string; durationMs: number }> }>;
}

interface Timeline {
  stages: Array<{ name: string; modes: Array<{ name: string; startMs: number; endMs: number }> }>;
}

function runDemo(parent: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'demo', '--dir', parent], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('sparc demo', () => {
  let parent: string;

  beforeAll(async () => {
    parent = await fsp.mkdtemp(path.join(os.tmpdir(), 'sparc-demo-test-'));
  });
  afterAll(() => fsp.rm(parent, { recursive: true, force: true }));

  it('takes the bundled example from red tests to a passing pipeline and prints the report folder last', async () => {
    const { code, stdout, stderr } = await runDemo(parent);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    const reportDir = lines[lines.length - 1];
    expect(path.isAbsolute(reportDir)).toBe(true);
    expect(reportDir.startsWith(parent)).toBe(true);
    expect(stdout).toContain('tests first (red): 2 acceptance suite(s) fail before the code exists');
    expect(stdout).toMatch(/tests after the code \(green\): .*[1-9]\d* passed, 0 failed/);

    const summary = JSON.parse(await fsp.readFile(path.join(reportDir, 'summary.json'), 'utf8')) as Summary;
    expect(summary.status).toBe('passed');
    expect(summary.stages.map((s) => s.name)).toEqual(['specification', 'architecture', 'implementation', 'quality', 'integration']);
    for (const stage of summary.stages) expect(`${stage.name}: ${stage.status}`).toBe(`${stage.name}: passed`);
    expect(existsSync(path.join(reportDir, 'report.html'))).toBe(true);

    // The implementation was generated in the workspace, and the service's contract was checked.
    const workspace = path.dirname(path.dirname(path.dirname(reportDir)));
    expect(existsSync(path.join(workspace, 'src', 'book', 'book.service.ts'))).toBe(true);
    expect(existsSync(path.join(workspace, 'src', 'member', 'member.acceptance.test.ts'))).toBe(true);
    const integration = JSON.parse(await fsp.readFile(path.join(reportDir, 'integration', 'report.json'), 'utf8')) as { services: Array<{ healthy: boolean }>; probes: Array<{ ok: boolean }> };
    expect(integration.services.every((s) => s.healthy)).toBe(true);
    expect(integration.probes.length).toBeGreaterThan(0);
    expect(integration.probes.filter((p) => !p.ok)).toEqual([]);

    // The parallel stages really ran their modes side by side: their measured intervals overlap.
    const timeline = JSON.parse(await fsp.readFile(path.join(reportDir, 'timeline.json'), 'utf8')) as Timeline;
    const quality = timeline.stages.find((s) => s.name === 'quality');
    const [first, ...others] = quality?.modes ?? [];
    expect(others.length).toBe(2);
    for (const other of others) expect(other.startMs < first.endMs && first.startMs < other.endMs).toBe(true);
  }, 240_000);
});
