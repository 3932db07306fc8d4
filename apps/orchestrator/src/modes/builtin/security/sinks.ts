import type { Finding } from '@sparc/batch-core';
import { blankNonCode, lineAt } from '../code-text';

const CHILD_PROCESS = /['"](?:node:)?child_process['"]/;
const SHELL_RUNNERS = new Set(['exec', 'execSync']);
const SPAWNERS = new Set(['spawn', 'spawnSync', 'execFile', 'execFileSync', 'fork']);

interface Bindings {
  /** `cp` in `import * as cp from 'child_process'` or `const cp = require('child_process')`. */
  namespaces: Set<string>;
  /** Local name → imported name (`run` → `exec` for `{ exec as run }`). */
  functions: Map<string, string>;
}

function childProcessBindings(code: string): Bindings {
  const bindings: Bindings = { namespaces: new Set(), functions: new Map() };
  const source = String.raw`(?:require\(\s*['"](?:node:)?child_process['"]\s*\)|['"](?:node:)?child_process['"])`;
  for (const m of code.matchAll(new RegExp(String.raw`import\s+\*\s+as\s+(\w+)\s+from\s+${source}`, 'g'))) bindings.namespaces.add(m[1]);
  for (const m of code.matchAll(new RegExp(String.raw`import\s+(\w+)\s*(?:,\s*\{[^}]*\})?\s+from\s+${source}`, 'g'))) bindings.namespaces.add(m[1]);
  for (const m of code.matchAll(new RegExp(String.raw`(?:const|let|var)\s+(\w+)\s*=\s*${source}`, 'g'))) bindings.namespaces.add(m[1]);
  for (const m of code.matchAll(new RegExp(String.raw`(?:import\s*(?:\w+\s*,\s*)?\{([^}]*)\}\s*from|(?:const|let|var)\s*\{([^}]*)\}\s*=)\s*${source}`, 'g'))) {
    for (const part of (m[1] ?? m[2]).split(',')) {
      const [imported, local] = part.split(/\s+as\s+|\s*:\s*/).map((s) => s.trim());
      if (imported) bindings.functions.set(local || imported, imported);
    }
  }
  return bindings;
}

/** The call's argument text, up to its closing parenthesis (or a few hundred characters). */
function argumentsAt(code: string, open: number): string {
  let depth = 0;
  for (let i = open; i < code.length && i < open + 2000; i++) {
    if (code[i] === '(') depth++;
    else if (code[i] === ')' && --depth === 0) return code.slice(open + 1, i);
  }
  return code.slice(open + 1, open + 400);
}

/** How the first argument of a shell call is built: a fixed string is safe, anything else may carry input. */
function commandIsDynamic(args: string): string | undefined {
  const first = args.trimStart();
  const literal = /^(['"])[^'"\n]*\1\s*(,|$)/.exec(first);
  if (literal) return undefined;
  if (first.startsWith('`')) return /^`[^`]*\$\{/.test(first) ? 'a template literal with ${...}' : undefined;
  if (/^(['"])[^'"\n]*\1\s*\+/.test(first)) return 'string concatenation';
  return 'a value computed at run time';
}

/** `eval`, `new Function`, string timers, `vm`, and shell commands built from data, in one code file. */
export function scanSinks(file: string, text: string): Finding[] {
  const findings: Finding[] = [];
  const code = blankNonCode(text, { strings: true });
  const add = (severity: Finding['severity'], rule: string, offset: number, message: string) => findings.push({ severity, rule: `security.sink.${rule}`, message, file, line: lineAt(code, offset) });

  for (const m of code.matchAll(/(?<![.\w$])eval\s*\(/g)) add('error', 'eval', m.index, 'eval() runs a string as code: anything that reaches it can run');
  for (const m of code.matchAll(/\bnew\s+Function\s*\(/g)) add('error', 'new-function', m.index, 'new Function() compiles a string as code, like eval');
  for (const m of code.matchAll(/(?<![.\w$])set(?:Timeout|Interval)\s*\(\s*['"`]/g)) add('warning', 'string-timer', m.index, 'a timer with a string body is eval in disguise; pass a function');
  for (const m of code.matchAll(/\bvm\.(?:runInNewContext|runInThisContext|runInContext|compileFunction)\s*\(|\bnew\s+vm\.Script\s*\(/g)) {
    add('warning', 'vm', m.index, 'node:vm is not a security boundary: code it runs can escape');
  }

  if (!CHILD_PROCESS.test(text)) return findings;
  const bindings = childProcessBindings(blankNonCode(text, { strings: false }));
  const calls: Array<{ name: string; offset: number; open: number }> = [];
  for (const ns of bindings.namespaces) {
    for (const m of code.matchAll(new RegExp(String.raw`\b${ns}\.(\w+)\s*\(`, 'g'))) calls.push({ name: m[1], offset: m.index, open: m.index + m[0].length - 1 });
  }
  for (const [local, imported] of bindings.functions) {
    for (const m of code.matchAll(new RegExp(String.raw`(?<![.\w$])${local}\s*\(`, 'g'))) calls.push({ name: imported, offset: m.index, open: m.index + m[0].length - 1 });
  }
  const raw = blankNonCode(text, { strings: false });
  for (const call of calls) {
    const args = argumentsAt(raw, call.open);
    if (SHELL_RUNNERS.has(call.name)) {
      const how = commandIsDynamic(args);
      if (how) add('error', 'shell-injection', call.offset, `child_process.${call.name}() runs its command through a shell and the command is ${how}: shell injection if any part comes from input; use execFile/spawn with an argument list`);
    } else if (SPAWNERS.has(call.name) && /\bshell\s*:\s*(true|['"`])/.test(args)) {
      add('warning', 'shell-true', call.offset, `child_process.${call.name}() with shell: true parses its arguments with a shell`);
    }
  }
  return findings;
}

/** `process.env` names read by one code file, with their lines; dynamic reads as findings. */
export function scanEnv(file: string, text: string): { reads: Array<{ name: string; line: number }>; findings: Finding[] } {
  const code = blankNonCode(text, { strings: false });
  const reads: Array<{ name: string; line: number }> = [];
  const findings: Finding[] = [];
  for (const m of code.matchAll(/\bprocess\.env\.([A-Za-z_$][\w$]*)|\bprocess\.env\[\s*(['"`])([^'"`]+)\2\s*\]/g)) reads.push({ name: m[1] ?? m[3], line: lineAt(code, m.index) });
  for (const m of code.matchAll(/\{([^{}]*)\}\s*=\s*process\.env\b/g)) {
    for (const part of m[1].split(',')) {
      const name = part.split(/[:=]/)[0].trim().replace(/^\.\.\./, '');
      if (/^[A-Za-z_$][\w$]*$/.test(name)) reads.push({ name, line: lineAt(code, m.index) });
    }
  }
  for (const m of code.matchAll(/\bprocess\.env\[\s*(?!['"`])([^\]]+)\]/g)) {
    findings.push({ severity: 'info', rule: 'security.env.dynamic', message: `process.env[${m[1].trim()}]: a variable chosen at run time cannot be checked`, file, line: lineAt(code, m.index) });
  }
  return { reads, findings };
}
