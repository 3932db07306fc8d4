import { BatchEngine, Workspace, type ModeRegistry } from '@sparc/batch-core';
import { loadConfig } from '../config/load';
import { withCustomModes } from '../config/registry';
import { ExecPolicy } from './exec-policy';

export interface SparcMcpOptions {
  /** Root of the workspace every tool works in; paths given by clients stay inside it. */
  dir: string;
  /** Commands `exec` operations may run (`*`: any, shell included). Empty: no `exec` at all. */
  allowExec?: readonly string[];
  /**
   * The modes the server lists and runs besides the custom modes of the workspace's
   * sparc.config.*, looked up per call. @default the built-in registry
   */
  modes?: () => ModeRegistry | Promise<ModeRegistry>;
  /** Where log lines go. @default stderr (stdout carries the protocol) */
  log?: (line: string) => void;
}

/** What every tool shares for the server's lifetime. */
export interface ServerContext {
  workspace: Workspace;
  policy: ExecPolicy;
  /** Runs `batch_execute` batches; its breakers and worker pool are shared by every call. */
  engine: BatchEngine;
  /** The base modes plus the custom modes of the workspace's config, read again on every call. */
  modes(): Promise<ModeRegistry>;
  /** The base modes alone: the pipeline runner adds the config's modes itself. */
  baseModes(): Promise<ModeRegistry>;
  log(line: string): void;
  close(): Promise<void>;
}

export async function createServerContext(options: SparcMcpOptions): Promise<ServerContext> {
  const workspace = await Workspace.open(options.dir);
  const policy = new ExecPolicy(options.allowExec ?? []);
  const engine = new BatchEngine({ workspace, registry: policy.guardedRegistry() });
  // Every call that streams progress listens to the engine's events until its batch ends, and a
  // client may have any number of calls in flight: the default cap of 10 listeners is not a leak signal here.
  engine.events.setMaxListeners(0);
  const log = options.log ?? ((line: string) => process.stderr.write(`sparc mcp: ${line}\n`));
  const baseModes = async () => (options.modes ?? defaultModes)();
  return {
    workspace,
    policy,
    engine,
    baseModes,
    modes: async () => withCustomModes(await baseModes(), await loadConfig(workspace.root)),
    log,
    close: () => engine.close(),
  };
}

function defaultModes(): ModeRegistry {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the mode packages load only when a mode tool is called
  return (require('../modes/registry') as typeof import('../modes/registry')).createModeRegistry();
}
