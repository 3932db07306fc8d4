import { readdirSync, readFileSync } from 'node:fs';

/**
 * Services run as leaders of their own process groups (spawned detached: the leader's pid is the
 * group id), so stopping one reaches everything its start command started. Groups still live when
 * this process exits (a second Ctrl-C, `process.exit`) are killed from the exit hook, which is the
 * last moment anything can still be done about them.
 */

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killLiveGroups(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
  liveGroups.clear();
}

/** Registers a group to kill at exit; the returned function forgets it once it is gone. */
export function trackGroup(pgid: number): () => void {
  if (!exitHookInstalled) {
    process.on('exit', killLiveGroups);
    exitHookInstalled = true;
  }
  liveGroups.add(pgid);
  return () => {
    liveGroups.delete(pgid);
  };
}

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

/**
 * Pids of the group's members that have not exited. Zombies do not count: an orphan whose new
 * parent never reaps it (a container whose pid 1 is no init) is gone all the same.
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
    // After the parenthesised command name: state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') members.push(Number(name));
  }
  return members;
}
