import { promises as fsp } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { tempWorkspace } from '../../../pipeline/__tests__/probe-modes';
import { securityReviewMode } from '../index';
import { runIn } from './run-mode';

interface SecurityData {
  files: number;
  counts: { secrets: number; sinks: number; oversize: number };
  env: Record<string, string[]>;
  undocumentedEnv: string[];
  oversize: Array<{ file: string; lines: number }>;
  audit: { ran: boolean; note?: string };
}

async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await fsp.mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await fsp.writeFile(path.join(root, name), content);
  }
}

describe('security-review mode', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await tempWorkspace('sparc-security-')));
  afterEach(() => cleanup());

  it('finds secrets, dangerous sinks, env usage and oversize files, each at its file and line', async () => {
    await write(dir, {
      'src/config.ts': [
        'const apiKey = "Zx9fQ2LmP7vR4tY8wK3nB6hJ";',
        'export const url = process.env.DATABASE_URL;',
        "export const { PORT, HOST = '0.0.0.0' } = process.env;",
        'export const pick = (name: string) => process.env[name];',
        'export const password = "changeme";',
        '',
      ].join('\n'),
      'src/keys.ts': "export const aws = 'AKIAIOSFODNN7EXAMPLE';\nexport const pem = `-----BEGIN RSA PRIVATE KEY-----`;\n",
      'src/token.ts': 'export const blob = "q8Vd3LxZ0pT7yB2nR5wK9mF4hJ6sA1cE";\nexport const integrity = "sha512-q8Vd3LxZ0pT7yB2nR5wK9mF4hJ6sA1cEq8Vd3LxZ0pT7yB2nR5";\n',
      'src/run.ts': [
        "import { exec, spawn } from 'node:child_process';",
        'export function log(branch: string, cmd: string, code: string, body: string, re: RegExp) {',
        '  exec(`git log ${branch}`);',
        "  exec('ls -la');",
        "  spawn('sh', ['-c', cmd], { shell: true });",
        '  eval(code);',
        "  const f = new Function('a', body);",
        '  // eval(commented)',
        '  const s = "eval(text)";',
        '  return re.exec(s) && f;',
        '}',
        '',
      ].join('\n'),
      'src/shell.js': "const cp = require('child_process');\nmodule.exports = (dir) => cp.execSync('rm -rf ' + dir);\n",
      'src/big.ts': Array.from({ length: 520 }, (_, i) => `export const v${i} = ${i};`).join('\n'),
      '.env': 'API_TOKEN=abcd1234efgh5678\nDEBUG=1\n',
      '.env.example': 'DATABASE_URL=\n',
    });
    const result = await runIn<SecurityData>(dir, securityReviewMode);
    expect(result.status).toBe('failed');
    const at = (rule: string) => result.findings.filter((f) => f.rule === rule).map((f) => `${f.file}:${f.line ?? ''}`);
    expect(at('security.secret.hardcoded')).toEqual(['src/config.ts:1']);
    expect(at('security.secret.aws-access-key')).toEqual(['src/keys.ts:1']);
    expect(at('security.secret.private-key')).toEqual(['src/keys.ts:2']);
    expect(at('security.secret.high-entropy')).toEqual(['src/token.ts:1']);
    expect(at('security.secret.env-file')).toEqual(['.env:1']);
    expect(at('security.sink.shell-injection').sort()).toEqual(['src/run.ts:3', 'src/shell.js:2']);
    expect(at('security.sink.shell-true')).toEqual(['src/run.ts:5']);
    expect(at('security.sink.eval')).toEqual(['src/run.ts:6']);
    expect(at('security.sink.new-function')).toEqual(['src/run.ts:7']);
    expect(at('security.env.dynamic')).toEqual(['src/config.ts:4']);
    expect(at('security.file.oversize')).toEqual(['src/big.ts:']);
    expect(result.findings.find((f) => f.rule === 'security.sink.shell-injection' && f.file === 'src/shell.js')?.message).toContain('string concatenation');
    // Secrets never appear whole in a report.
    expect(JSON.stringify(result.findings)).not.toContain('Zx9fQ2LmP7vR4tY8wK3nB6hJ');

    const data = result.data as SecurityData;
    expect(data.env).toEqual({ DATABASE_URL: ['src/config.ts:2'], HOST: ['src/config.ts:3'], PORT: ['src/config.ts:3'] });
    expect(data.undocumentedEnv).toEqual(['HOST', 'PORT']);
    expect(at('security.env.undocumented')).toEqual(['src/config.ts:3', 'src/config.ts:3']);
    expect(data.oversize).toEqual([{ file: 'src/big.ts', lines: 520 }]);
    expect(data.audit).toEqual({ ran: false, note: 'npm audit not run: the workspace has no package-lock.json (npm audit reads the lockfile)' });
    expect(result.findings).toContainEqual({ severity: 'info', rule: 'security.audit.not-run', message: data.audit.note });
    const envReport = await fsp.readFile(path.join(dir, result.artifacts[1]), 'utf8');
    expect(envReport).toContain('| PORT | src/config.ts:3 |');
  });

  it('passes a clean workspace', async () => {
    await write(dir, { 'src/ok.ts': "import { execFile } from 'node:child_process';\nexport const run = (file: string) => execFile('ls', [file]);\nexport const port = Number(process.env.PORT ?? 3000);\n" });
    const result = await runIn<SecurityData>(dir, securityReviewMode, { audit: 'off' });
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(result.status).toBe('passed');
    expect((result.data as SecurityData).audit.note).toBe('npm audit not run: --audit off');
  });

  it('says plainly that npm audit could not run when the registry cannot be reached', async () => {
    // A port nobody listens on: npm's request is refused at once, as when offline.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await write(dir, {
      'package.json': JSON.stringify({ name: 'aud', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }),
      'package-lock.json': JSON.stringify({
        name: 'aud',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: { '': { name: 'aud', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }, 'node_modules/left-pad': { version: '1.3.0', resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz' } },
      }),
      '.npmrc': `registry=http://127.0.0.1:${port}/\n`,
    });
    const result = await runIn<SecurityData>(dir, securityReviewMode, { auditTimeoutMs: 60_000 });
    const audit = (result.data as SecurityData).audit;
    expect(audit.ran).toBe(false);
    expect(audit.note).toMatch(/^npm audit could not run: .*ECONNREFUSED.*\(the registry is not reachable: offline\?\)$/);
    expect(result.status).toBe('passed');
  }, 90_000);

  it('turns npm audit advisories into findings on the lockfile', async () => {
    // A registry on 127.0.0.1 that answers npm's bulk advisory request the way the npm registry does.
    const requests: string[] = [];
    const registry = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.url?.startsWith('/-/npm/v1/security/advisories/bulk')) {
          res.end(JSON.stringify({ 'left-pad': [{ id: 1, url: 'http://127.0.0.1/advisory/1', title: 'Pads too much', severity: 'high', vulnerable_versions: '<2.0.0', cwe: [], cvss: { score: 7.5 } }] }));
        } else if (req.url === '/left-pad') {
          res.end(JSON.stringify({ name: 'left-pad', 'dist-tags': { latest: '1.3.0' }, versions: { '1.3.0': { name: 'left-pad', version: '1.3.0', dist: { tarball: 'http://127.0.0.1/left-pad-1.3.0.tgz' } } } }));
        } else {
          res.statusCode = 404;
          res.end('{}');
        }
      });
    });
    await new Promise<void>((resolve) => registry.listen(0, '127.0.0.1', resolve));
    try {
      const port = (registry.address() as net.AddressInfo).port;
      await write(dir, {
        'package.json': JSON.stringify({ name: 'aud', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }),
        'package-lock.json': JSON.stringify({
          name: 'aud',
          version: '1.0.0',
          lockfileVersion: 3,
          requires: true,
          packages: { '': { name: 'aud', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }, 'node_modules/left-pad': { version: '1.3.0', resolved: `http://127.0.0.1:${port}/left-pad-1.3.0.tgz` } },
        }),
        '.npmrc': `registry=http://127.0.0.1:${port}/\n`,
      });
      const result = await runIn<SecurityData & { audit: { vulnerabilities?: Record<string, number> } }>(dir, securityReviewMode);
      expect(requests).toContain('POST /-/npm/v1/security/advisories/bulk');
      expect(result.data?.audit).toMatchObject({ ran: true, vulnerabilities: { high: 1, total: 1 } });
      expect(result.findings).toContainEqual({ severity: 'error', rule: 'security.audit.high', message: 'left-pad: high severity: Pads too much (direct dependency)', file: 'package-lock.json' });
      expect(result.status).toBe('failed');
    } finally {
      await new Promise<void>((resolve) => registry.close(() => resolve()));
    }
  }, 90_000);
});
