import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Finding, ModeContext } from '@sparc/batch-core';

export interface AuditOutcome {
  ran: boolean;
  /** Why it did not run or could not finish, in words a person can act on. */
  note?: string;
  vulnerabilities?: Record<string, number>;
  findings: Finding[];
}

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json'];
const SEVERITY: Record<string, Finding['severity']> = { critical: 'error', high: 'error', moderate: 'warning', low: 'info', info: 'info' };

interface AuditJson {
  message?: string;
  error?: { code?: string; summary?: string; detail?: string };
  metadata?: { vulnerabilities?: Record<string, number> };
  vulnerabilities?: Record<string, { name?: string; severity?: string; range?: string; isDirect?: boolean; via?: unknown[]; fixAvailable?: unknown }>;
}

/** `via` lists advisories (objects with a title) or the names of the dependencies that carry them. */
function advisoryTitles(via: unknown[] | undefined): string {
  const titles = (via ?? []).map((v) => (typeof v === 'object' && v !== null ? (v as { title?: unknown }).title : undefined)).filter((t): t is string => typeof t === 'string');
  const through = (via ?? []).filter((v): v is string => typeof v === 'string');
  if (titles.length > 0) return `: ${titles.join('; ')}`;
  return through.length > 0 ? ` through ${through.join(', ')}` : '';
}

function noteOnly(note: string): AuditOutcome {
  return { ran: false, note, findings: [{ severity: 'info', rule: 'security.audit.not-run', message: note }] };
}

/**
 * `npm audit --json` needs the registry's advisory service. Where it cannot reach it (offline,
 * a private registry without audit), the outcome says so plainly instead of failing the review.
 */
export async function runAudit(ctx: ModeContext, timeoutMs: number): Promise<AuditOutcome> {
  const root = ctx.workspace.root;
  const lockfile = (await Promise.all(LOCKFILES.map(async (f) => ((await fsp.access(path.join(root, f)).then(() => true, () => false)) ? f : undefined)))).find(Boolean);
  if (!lockfile) return noteOnly('npm audit not run: the workspace has no package-lock.json (npm audit reads the lockfile)');
  await fsp.mkdir(ctx.artifacts.dir, { recursive: true });
  const out = path.join(ctx.artifacts.dir, 'npm-audit.json');
  const err = path.join(ctx.artifacts.dir, 'npm-audit.stderr.txt');
  const quote = (p: string) => `'${p.replace(/'/g, `'\\''`)}'`;
  ctx.progress('npm audit');
  const batch = await ctx.engine.run(
    {
      operations: [
        {
          id: 'npm-audit',
          type: 'exec',
          timeoutMs,
          // npm audit exits 1 when it finds vulnerabilities: the JSON file is read whatever the exit code.
          params: { command: `npm audit --json --fetch-retries=0 > ${quote(out)} 2> ${quote(err)}`, shell: true, env: { npm_config_update_notifier: 'false', npm_config_fund: 'false' } },
        },
      ],
    },
    { signal: ctx.signal },
  );
  const result = batch.results[0];
  if (result?.status === 'timed-out') return noteOnly(`npm audit could not finish within ${Math.round(timeoutMs / 1000)} s (is the registry reachable from here?)`);
  if (result?.status === 'cancelled') return noteOnly('npm audit cancelled');
  const text = await fsp.readFile(out, 'utf8').catch(() => '');
  let json: AuditJson;
  try {
    json = JSON.parse(text) as AuditJson;
  } catch {
    const stderr = (await fsp.readFile(err, 'utf8').catch(() => '')).trim().split('\n').slice(-2).join(' ');
    return noteOnly(`npm audit could not run: ${stderr || result?.error?.message || 'no JSON output'}`);
  }
  if (json.error) {
    const reason = [json.error.code, json.error.summary || json.message].filter(Boolean).join(': ');
    return noteOnly(`npm audit could not run: ${reason || 'unknown error'}${/ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|network/i.test(reason) ? ' (the registry is not reachable: offline?)' : ''}`);
  }
  const findings: Finding[] = Object.entries(json.vulnerabilities ?? {}).map(([name, v]) => ({
    severity: SEVERITY[v.severity ?? 'info'] ?? 'warning',
    rule: `security.audit.${v.severity ?? 'unknown'}`,
    message: `${name}${v.range && v.range !== '*' ? ` ${v.range}` : ''}: ${v.severity ?? 'unknown'} severity${advisoryTitles(v.via)}${v.isDirect ? ' (direct dependency)' : ''}${v.fixAvailable ? '; a fix is available (npm audit fix)' : ''}`,
    file: lockfile,
  }));
  return { ran: true, vulnerabilities: json.metadata?.vulnerabilities ?? {}, findings };
}
