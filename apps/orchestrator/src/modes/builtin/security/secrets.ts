import type { Finding } from '@sparc/batch-core';

/** Credentials with a recognisable shape: each a certain leak when found in a file. */
const SECRET_PATTERNS: Array<{ id: string; what: string; pattern: RegExp; severity: Finding['severity'] }> = [
  { id: 'aws-access-key', what: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, severity: 'error' },
  { id: 'github-token', what: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,})\b/, severity: 'error' },
  { id: 'slack-token', what: 'Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/, severity: 'error' },
  { id: 'stripe-key', what: 'Stripe live key', pattern: /\b[rs]k_live_[A-Za-z0-9]{20,}\b/, severity: 'error' },
  { id: 'google-api-key', what: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/, severity: 'error' },
  { id: 'npm-token', what: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/, severity: 'error' },
  { id: 'private-key', what: 'private key', pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----/, severity: 'error' },
  { id: 'jwt', what: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, severity: 'warning' },
  { id: 'url-credentials', what: 'password in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/'"`]+:([^\s:@/'"`$]{3,})@/i, severity: 'warning' },
];

/** `password = "..."`, `apiKey: '...'`, `SECRET_TOKEN="..."`: a secret by name. */
const ASSIGNED = /([A-Za-z0-9_]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?)[A-Za-z0-9_]*)["']?\s*[:=]\s*["'`]([^"'`\s]{8,})["'`]/i;
const PLACEHOLDER = /^(?:x+|\*+|\.+|changeme|change-me|password\d*|secret|example|your[_-].*|<.*>|\$\{.*\}|%.*%|{{.*}}|test|dummy|placeholder|null|undefined|todo)$/i;
const LITERAL = /["'`]([A-Za-z0-9+/=_-]{32,})["'`]/g;
/** Lines about hashes and integrity sums hold long random strings on purpose. */
const HASH_CONTEXT = /\b(?:integrity|sha\d*|md5|hash|checksum|digest|fingerprint|nonce|uuid)\b|sha512-/i;

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A secret shown in a report only by its first characters. */
export function mask(secret: string): string {
  return `${secret.slice(0, 4)}…(${secret.length} chars)`;
}

function looksRandom(value: string): boolean {
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((c) => c.test(value)).length;
  if (/^[0-9a-f]+$/i.test(value)) return value.length >= 32 && entropy(value) >= 3.5;
  return classes >= 2 && entropy(value) >= 4.2;
}

/** Secrets in one file: known credential shapes, secrets assigned by name, and high-entropy literals. */
export function scanSecrets(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const isEnvFile = /(^|\/)\.env(\.[^/]*)?$/.test(file) && !/\.(example|sample|template)$/.test(file);
  text.split('\n').forEach((line, index) => {
    const at = { file, line: index + 1 };
    let matched = false;
    for (const { id, what, pattern, severity } of SECRET_PATTERNS) {
      const match = pattern.exec(line);
      if (!match) continue;
      matched = true;
      findings.push({ severity, rule: `security.secret.${id}`, message: `${what} in the source: ${mask(match[1] ?? match[0])}; move it to the environment or a secret store and rotate it`, ...at });
    }
    if (matched) return;
    const assigned = ASSIGNED.exec(line);
    if (assigned && !PLACEHOLDER.test(assigned[2]) && !/process\.env|import\.meta\.env/.test(line) && entropy(assigned[2]) >= 3) {
      findings.push({ severity: 'error', rule: 'security.secret.hardcoded', message: `"${assigned[1]}" is set to a literal secret ${mask(assigned[2])}; read it from the environment instead`, ...at });
      return;
    }
    if (isEnvFile) {
      const env = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*["']?([^"'\s#]+)/.exec(line);
      if (env && /(password|secret|token|key|credential)/i.test(env[1]) && !PLACEHOLDER.test(env[2])) {
        findings.push({ severity: 'error', rule: 'security.secret.env-file', message: `${env[1]} has a value in a committed env file (${mask(env[2])}); keep real values out of the repository`, ...at });
      }
      return;
    }
    if (HASH_CONTEXT.test(line)) return;
    for (const literal of line.matchAll(LITERAL)) {
      if (looksRandom(literal[1])) {
        findings.push({ severity: 'warning', rule: 'security.secret.high-entropy', message: `high-entropy string ${mask(literal[1])} (${entropy(literal[1]).toFixed(1)} bits/char) looks like a key or token`, ...at });
        break;
      }
    }
  });
  return findings;
}
