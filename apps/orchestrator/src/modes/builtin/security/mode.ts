import { defineMode, type Finding } from '@sparc/batch-core';
import { z } from 'zod';
import { CODE_EXTENSIONS, CODE_FILE, lineCount, readSourceFiles } from '../files';
import { runAudit, type AuditOutcome } from './audit';
import { scanSecrets } from './secrets';
import { scanEnv, scanSinks } from './sinks';

const TEXT_EXTENSIONS = [...CODE_EXTENSIONS, 'json', 'yml', 'yaml', 'toml', 'ini', 'properties', 'sh', 'bash', 'py', 'rb', 'go', 'java', 'php', 'xml', 'conf', 'cfg', 'pem', 'key', 'npmrc'];
/** Files that are long random strings by design. */
const LOCKFILES = ['**/package-lock.json', '**/npm-shrinkwrap.json', '**/yarn.lock', '**/pnpm-lock.yaml', '**/*.min.js', '**/*.map'];

const dataSchema = z.object({
  files: z.number().int(),
  counts: z.object({ secrets: z.number().int(), sinks: z.number().int(), oversize: z.number().int() }),
  /** Environment variable → the places that read it (`src/config.ts:12`). */
  env: z.record(z.string(), z.array(z.string())),
  undocumentedEnv: z.array(z.string()),
  oversize: z.array(z.object({ file: z.string(), lines: z.number().int() })),
  audit: z.object({ ran: z.boolean(), note: z.string().optional(), vulnerabilities: z.record(z.string(), z.number()).optional() }),
  skipped: z.array(z.string()),
});

type SecurityData = z.output<typeof dataSchema>;

/** Variable names a `.env.example` (or `.env.sample`/`.env.template`) documents. */
function documentedEnv(files: Array<{ path: string; text: string }>): Set<string> | undefined {
  const examples = files.filter((f) => /(^|\/)\.env\.(example|sample|template)$/.test(f.path));
  if (examples.length === 0) return undefined;
  const names = new Set<string>();
  for (const file of examples) for (const m of file.text.matchAll(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)) names.add(m[1]);
  return names;
}

/** Variables every Node process has: not configuration a project must document. */
const PLATFORM_ENV = new Set(['NODE_ENV', 'PATH', 'HOME', 'PWD', 'CI', 'TZ', 'LANG', 'DEBUG', 'JEST_WORKER_ID', 'npm_package_version', 'npm_lifecycle_event', 'INIT_CWD', 'TMPDIR', 'USER', 'SHELL', 'TERM']);

/**
 * `security-review`: secrets (known credential shapes, secrets assigned by name, high-entropy
 * literals, committed env files), dangerous sinks (`eval`, `new Function`, shell commands built
 * from data), a map of `process.env` reads, files over the size limit, and `npm audit` when it
 * can reach the registry (a note when it cannot).
 */
export const securityReviewMode = defineMode({
  name: 'security-review',
  summary: 'Secrets, eval/new Function/shell-injection sinks, process.env usage, oversize files, npm audit',
  options: z.object({
    maxLines: z.number().int().positive().default(500).describe('Code files longer than this are reported'),
    audit: z.enum(['auto', 'off']).default('auto').describe('Run npm audit when the workspace has a package-lock.json'),
    auditTimeoutMs: z.number().int().positive().default(60_000).describe('Time limit for npm audit'),
    exclude: z.array(z.string()).default([]).describe('More glob patterns to leave out'),
  }),
  data: dataSchema,
  async run(ctx, options) {
    // Started first, finished last: npm audit waits on the network while the files are scanned.
    const auditPromise: Promise<AuditOutcome> =
      options.audit === 'off'
        ? Promise.resolve({ ran: false, note: 'npm audit not run: --audit off', findings: [] as Finding[] })
        : runAudit(ctx, options.auditTimeoutMs).catch((error: unknown) => ({ ran: false, note: `npm audit could not run: ${error instanceof Error ? error.message : String(error)}`, findings: [] as Finding[] }));
    const { files, skipped } = await readSourceFiles(ctx, {
      patterns: [`**/*.{${TEXT_EXTENSIONS.join(',')}}`, '**/.env', '**/.env.*', '**/.npmrc'],
      ignore: [...LOCKFILES, ...options.exclude],
      dot: true,
    });
    ctx.progress(`scanning ${files.length} file(s)`);
    const findings: Finding[] = [];
    const env = new Map<string, string[]>();
    const oversize: SecurityData['oversize'] = [];
    let secrets = 0;
    let sinks = 0;
    for (const file of files) {
      const secretFindings = scanSecrets(file.path, file.text);
      secrets += secretFindings.length;
      findings.push(...secretFindings);
      if (!CODE_FILE.test(file.path)) continue;
      const sinkFindings = scanSinks(file.path, file.text);
      sinks += sinkFindings.length;
      findings.push(...sinkFindings);
      const usage = scanEnv(file.path, file.text);
      findings.push(...usage.findings);
      for (const read of usage.reads) env.set(read.name, [...(env.get(read.name) ?? []), `${file.path}:${read.line}`]);
      const lines = lineCount(file.text);
      if (lines > options.maxLines) {
        oversize.push({ file: file.path, lines });
        findings.push({ severity: 'warning', rule: 'security.file.oversize', message: `${lines} lines (limit ${options.maxLines}): large files hide problems from review; split it`, file: file.path });
      }
    }
    const documented = documentedEnv(files);
    const undocumented = documented ? [...env.keys()].filter((name) => !documented.has(name) && !PLATFORM_ENV.has(name)).sort() : [];
    for (const name of undocumented) {
      const [first] = env.get(name) ?? [];
      const [file, line] = first ? [first.slice(0, first.lastIndexOf(':')), Number(first.slice(first.lastIndexOf(':') + 1))] : [undefined, undefined];
      findings.push({ severity: 'warning', rule: 'security.env.undocumented', message: `${name} is read from process.env but not listed in .env.example`, ...(file ? { file, line } : {}) });
    }
    const audit = await auditPromise;
    findings.push(...audit.findings);

    const data: SecurityData = {
      files: files.length,
      counts: { secrets, sinks, oversize: oversize.length },
      env: Object.fromEntries([...env.entries()].sort(([a], [b]) => a.localeCompare(b))),
      undocumentedEnv: undocumented,
      oversize,
      audit: { ran: audit.ran, ...(audit.note ? { note: audit.note } : {}), ...(audit.vulnerabilities ? { vulnerabilities: audit.vulnerabilities } : {}) },
      skipped,
    };
    const envMd = ['# process.env usage', '', '| variable | read at |', '|---|---|', ...Object.entries(data.env).map(([name, places]) => `| ${name} | ${places.join(', ')} |`), ''].join('\n');
    const artifacts = [await ctx.artifacts.write('security-review.json', `${JSON.stringify(data, null, 2)}\n`), await ctx.artifacts.write('env-usage.md', envMd)];
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.filter((f) => f.severity === 'warning').length;
    return {
      status: errors > 0 ? 'failed' : warnings > 0 ? 'warning' : 'passed',
      summary: `${files.length} file(s): ${secrets} secret(s), ${sinks} dangerous sink(s), ${env.size} env variable(s), ${oversize.length} oversize file(s); ${audit.ran ? 'npm audit ran' : (audit.note ?? 'npm audit not run')}`,
      findings,
      data,
      artifacts,
    };
  },
});
