import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OperationRegistry } from '../../operations/registry';
import { Workspace } from '../../workspace/workspace';
import { BatchEngine } from '../engine';

export interface TempEngine {
  engine: BatchEngine;
  /** Closes the engine and removes its workspace folder. */
  dispose(): Promise<void>;
}

/** An engine over a fresh temp-folder workspace, not recording metrics. */
export async function openTempEngine(registry: OperationRegistry, prefix: string): Promise<TempEngine> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), prefix));
  const engine = new BatchEngine({ workspace: await Workspace.open(dir), registry, monitor: false });
  return {
    engine,
    dispose: async () => {
      await engine.close();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}
