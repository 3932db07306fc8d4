import fs from 'node:fs';
import os from 'node:os';

function cpuModel() {
  try {
    const line = fs
      .readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // not Linux: fall back to what the OS reports
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** Where and on what the numbers were measured. */
export function describeEnvironment() {
  return {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    nproc: os.availableParallelism(),
    cpu: cpuModel(),
    platform: `${os.platform()} ${os.release()}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}
