import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ArchitectError } from '../errors';
import { EDGE_RUNTIME, type ImportGraph } from '../graph/build-graph';
import type { ForbiddenRule, RulesFile } from './rules-schema';

export type { ForbiddenRule, RulesFile } from './rules-schema';

export interface Violation {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  from: string;
  /** Module path, or the package name of an external import. */
  to: string;
  line: number;
  typeOnly: boolean;
  comment?: string;
}

/** Reads and validates a rules file; errors name the file and the field. */
export async function loadRules(root: string, file: string): Promise<RulesFile> {
  const abs = path.resolve(root, file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (error) {
    throw new ArchitectError('RULES_INVALID', `rules file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ArchitectError('RULES_INVALID', `rules file ${file}: not valid JSON (${(error as Error).message})`);
  }
  return parseRules(json, file);
}

export function parseRules(json: unknown, where = 'rules'): RulesFile {
  // Loaded here: a run without a rules file never needs the schema, nor zod.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { rulesFileSchema } = require('./rules-schema') as typeof import('./rules-schema');
  const parsed = rulesFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
    throw new ArchitectError('RULES_INVALID', `${where}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

interface CompiledRule {
  rule: ForbiddenRule;
  from: (path: string) => boolean;
  to: (path: string) => boolean;
}

export function compileRules(rules: RulesFile): CompiledRule[] {
  if (rules.forbidden.length === 0) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const picomatch = require('picomatch') as typeof import('picomatch');
  return rules.forbidden.map((rule) => ({ rule, from: picomatch(rule.from, { dot: true }), to: picomatch(rule.to, { dot: true }) }));
}

/** Every import (module edge or external package) that a forbidden rule matches. */
export function checkRules(graph: ImportGraph, rules: RulesFile): Violation[] {
  const compiled = compileRules(rules);
  if (compiled.length === 0) return [];
  const out: Violation[] = [];
  for (let e = 0; e < graph.edgeFrom.length; e++) {
    const from = graph.modules[graph.edgeFrom[e]];
    const to = graph.modules[graph.edgeTo[e]];
    const typeOnly = (graph.edgeFlags[e] & EDGE_RUNTIME) === 0;
    for (const { rule, from: matchFrom, to: matchTo } of compiled) {
      if (typeOnly && !rule.typeOnly) continue;
      if (matchFrom(from) && matchTo(to)) out.push(violation(rule, from, to, graph.edgeLine[e], typeOnly));
    }
  }
  for (const ext of graph.external) {
    for (const { rule, from: matchFrom, to: matchTo } of compiled) {
      if (ext.typeOnly && !rule.typeOnly) continue;
      if (matchFrom(ext.from) && matchTo(ext.name)) out.push(violation(rule, ext.from, ext.name, ext.line, ext.typeOnly));
    }
  }
  return out.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.line - b.line));
}

function violation(rule: ForbiddenRule, from: string, to: string, line: number, typeOnly: boolean): Violation {
  return { rule: rule.name, severity: rule.severity, from, to, line, typeOnly, ...(rule.comment !== undefined ? { comment: rule.comment } : {}) };
}
