import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ValidationError } from '../errors';
import type { Workspace } from '../workspace/workspace';
import { ArtifactPathError } from './errors';
import type { ArtifactWriter } from './types';

/** Report folders live here, one per run, one sub-folder per mode. */
export const REPORTS_DIR = '.sparc/reports';

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A run id that sorts by start time and is safe as a folder name: `2025-01-31T12-00-00-000Z-3fa9c1`. */
export function newRunId(now: Date = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
}

/** Writes one mode's artifacts under `.sparc/reports/<run-id>/<mode>/` of the workspace. */
export class ReportArtifactWriter implements ArtifactWriter {
  readonly dir: string;
  #workspace: Workspace;
  #written: string[] = [];

  constructor(workspace: Workspace, runId: string, modeName: string) {
    for (const [field, value] of [['runId', runId], ['mode', modeName]] as const) {
      if (typeof value !== 'string' || !SAFE_SEGMENT.test(value) || value.includes('..')) {
        throw new ValidationError(`${field} ${JSON.stringify(value)} cannot name a report folder (letters, digits, ".", "_", "-")`, [{ path: field, message: 'not a safe folder name' }]);
      }
    }
    this.#workspace = workspace;
    this.dir = workspace.resolve(path.join(REPORTS_DIR, runId, modeName));
  }

  async write(name: string, content: string | Uint8Array): Promise<string> {
    const target = path.join(this.dir, ...artifactSegments(name));
    // Confirms no symlinked folder on the way leads out of the workspace.
    await this.#workspace.resolveReal(this.#workspace.relative(target));
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.writeFile(target, content);
    const relative = this.#workspace.relative(target);
    if (!this.#written.includes(relative)) this.#written.push(relative);
    return relative;
  }

  /** Workspace-relative paths written so far, in order. */
  written(): string[] {
    return [...this.#written];
  }
}

export function createArtifactWriter(workspace: Workspace, runId: string, modeName: string): ReportArtifactWriter {
  return new ReportArtifactWriter(workspace, runId, modeName);
}

/** Splits an artifact name into path segments, refusing anything that could leave the mode's folder. */
function artifactSegments(name: string): string[] {
  if (typeof name !== 'string' || name.trim() === '') throw new ArtifactPathError(String(name), 'empty name');
  if (name.includes('\0')) throw new ArtifactPathError(name.replace(/\0/g, '\\0'), 'contains a NUL byte');
  if (path.isAbsolute(name) || path.win32.isAbsolute(name)) throw new ArtifactPathError(name, 'absolute paths are not allowed');
  const segments = name.split(/[\\/]/);
  for (const segment of segments) {
    if (segment === '..') throw new ArtifactPathError(name, '".." is not allowed');
    if (segment === '' || segment === '.') throw new ArtifactPathError(name, 'empty or "." path segment');
  }
  return segments;
}
