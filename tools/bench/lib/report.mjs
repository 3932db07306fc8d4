import fs from 'node:fs';

/**
 * What a suite hands back.
 * @typedef {{ label: string, display: string, bar: string, pass: boolean }} Check
 * @typedef {{ title: string, method: string[], columns: string[], rows: string[][], checks: Check[], notes?: string[] }} SuiteReport
 */

const SECTION = /<!-- bench:([\w-]+):start (.*?) -->\n([\s\S]*?)<!-- bench:\1:end -->\n?/g;

function escapeCell(text) {
  return String(text).replace(/\|/g, '\\|');
}

/** `align`: one 'l' or 'r' per column; by default the first column left, the (numeric) rest right. */
function markdownTable(columns, rows, align = columns.map((_, i) => (i === 0 ? 'l' : 'r')).join('')) {
  const rules = [...align].map((a) => (a === 'r' ? '---:' : '---'));
  return [
    `| ${columns.map(escapeCell).join(' | ')} |`,
    `| ${rules.join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

function verdict(pass) {
  return pass ? '**PASS**' : '**FAIL**';
}

/** One suite's section, with its checks embedded in the start marker so later runs can keep it. */
export function renderSection(name, report, env, run) {
  const meta = { date: env.date, node: env.node, nproc: env.nproc, checks: report.checks };
  const lines = [
    `<!-- bench:${name}:start ${JSON.stringify(meta)} -->`,
    `## ${name}: ${report.title}`,
    '',
    `Measured ${env.date} on Node ${env.node}, nproc ${env.nproc}; the suite took ${run.seconds.toFixed(0)} s; 1-minute load average ${run.loadBefore.toFixed(2)} before, ${run.loadAfter.toFixed(2)} after${
      Math.max(run.loadBefore, run.loadAfter) > env.nproc ? ` (above ${env.nproc}: other processes were competing for the cores)` : ''
    }.`,
    '',
    ...report.method.map((line) => `- ${line}`),
    '',
    markdownTable(report.columns, report.rows),
    '',
    markdownTable(
      ['check', 'measured', 'bar', 'result'],
      report.checks.map((c) => [c.label, c.display, c.bar, verdict(c.pass)]),
      'lrll',
    ),
    '',
  ];
  if (report.notes?.length) lines.push(...report.notes.map((n) => `- ${n}`), '');
  lines.push(`<!-- bench:${name}:end -->`, '');
  return lines.join('\n');
}

/** Sections of an existing BENCHMARKS.md, by suite name. */
export function readSections(file) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return new Map();
  }
  const sections = new Map();
  for (const match of text.matchAll(SECTION)) {
    let meta = { checks: [] };
    try {
      meta = JSON.parse(match[2]);
    } catch {
      // a hand-edited marker: keep the text, drop it from the summary
    }
    sections.set(match[1], { text: match[0].endsWith('\n') ? match[0] : `${match[0]}\n`, meta });
  }
  return sections;
}

/** The summary table of every kept section's checks (also copied into the README). */
export function renderSummary(suiteOrder, sections) {
  const summaryRows = [];
  for (const name of suiteOrder) {
    const section = sections.get(name);
    if (!section) continue;
    for (const check of section.meta.checks ?? []) {
      summaryRows.push([name, check.label, check.display, check.bar, verdict(check.pass), section.meta.date ?? '']);
    }
  }
  return markdownTable(['suite', 'check', 'measured', 'bar', 'result', 'measured on'], summaryRows, 'llrlll');
}

/** The whole file: header, summary of every section's checks, then the sections in suite order. */
export function renderDocument({ env, suiteOrder, sections, ranNow }) {
  const lines = [
    '# Benchmarks',
    '',
    'Produced by `npm run bench` (which builds, runs `node tools/bench/run.mjs`, then',
    '`node tools/bench/run.mjs noop timers --no-gc` for the `-nogc` sections).',
    'Every comparison runs all of its sides in the same process and the same run, alternating',
    'between them round by round, and reports medians and the RATIO between sides: absolute',
    'numbers on a shared machine drift from run to run, ratios measured side by side much less.',
    'Nothing here was estimated: every number below was measured in the run that wrote its section.',
    '',
    `Last run: ${env.date}, Node ${env.node}, nproc ${env.nproc}, CPU "${env.cpu}", ${env.platform}, ${env.memoryGiB} GiB RAM; suites run: ${ranNow.join(', ')}.`,
    'Sections of suites not run that time are kept from earlier runs (each section says when it was measured).',
    '',
    '## Summary',
    '',
    renderSummary(suiteOrder, sections),
    '',
  ];
  for (const name of suiteOrder) {
    const section = sections.get(name);
    if (section) lines.push(section.text);
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** Plain-text table for the terminal. */
export function textTable(columns, rows) {
  const widths = columns.map((c, i) => Math.max(String(c).length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function printReport(name, report, write = (s) => process.stdout.write(s)) {
  write(`\n== ${name}: ${report.title}\n\n`);
  write(`${textTable(report.columns, report.rows)}\n\n`);
  for (const check of report.checks) {
    write(`${check.pass ? 'PASS' : 'FAIL'}  ${check.label}: ${check.display} (bar ${check.bar})\n`);
  }
  for (const note of report.notes ?? []) write(`note: ${note}\n`);
}
