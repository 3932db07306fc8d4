import { readdirSync, readFileSync } from 'node:fs';

/**
 * Process groups started by `exec` (each child is spawned detached, so it leads its own group and
 * its pid is the group id). Groups are killed when this process exits, and when it dies of
 * SIGINT/SIGTERM/SIGHUP that nobody else handles: detached children do not get the terminal's
 * Ctrl-C, so without this they would outlive us.
 */

const liveGroups = new Set<number>();
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let exitHookInstalled = false;

/** Sends `signal` to every process of the group. False when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

function killAllGroups(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  liveGroups.clear();
}

function onFatalSignal(signal: NodeJS.Signals): void {
  // Another listener owns this signal (a CLI cancelling its batch, say): it decides what happens,
  // and the exit hook still covers the end.
  if (process.listenerCount(signal) > 1) return;
  killAllGroups();
  removeSignalHandlers();
  process.kill(process.pid, signal);
}

function installSignalHandlers(): void {
  for (const signal of FORWARDED_SIGNALS) process.on(signal, onFatalSignal);
}

function removeSignalHandlers(): void {
  for (const signal of FORWARDED_SIGNALS) process.off(signal, onFatalSignal);
}

/** Registers a live group; the returned function forgets it (call it once the group is gone). */
export function trackGroup(pgid: number): () => void {
  if (!exitHookInstalled) {
    process.on('exit', killAllGroups);
    exitHookInstalled = true;
  }
  if (liveGroups.size === 0) installSignalHandlers();
  liveGroups.add(pgid);
  return () => {
    if (!liveGroups.delete(pgid)) return;
    if (liveGroups.size === 0) removeSignalHandlers();
  };
}

/** Number of groups currently tracked (for diagnostics and tests). */
export function trackedGroupCount(): number {
  return liveGroups.size;
}

/**
 * True while the process exists and has not exited. A zombie (exited, never reaped: an orphan in
 * a container whose pid 1 is not an init) counts as gone, though it still answers `kill(pid, 0)`.
 */
export function isProcessLive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return true; // no procfs: trust kill(0)
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/**
 * Pids of the group's members that have not exited. Zombies do not count: an orphan whose new
 * parent never reaps it (a container whose pid 1 is not an init) is dead all the same, yet still
 * answers `kill(pid, 0)`.
 */
export function liveGroupMembers(pgid: number): number[] {
  if (!signalGroup(pgid, 0)) return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [pgid]; // no procfs: kill(0) said the group exists
  }
  const members: number[] = [];
  for (const name of entries) {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // Fields after the parenthesised command name: state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') members.push(Number(name));
  }
  return members;
}

/** True while the group has a member that has not exited (see `liveGroupMembers`). */
export function groupHasLiveMembers(pgid: number): boolean {
  return liveGroupMembers(pgid).length > 0;
}
