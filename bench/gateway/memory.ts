/**
 * Resident memory of a target process from /proc (Linux): VmHWM is the peak resident set since
 * start, so reading it once after the load runs gives the worst case the bar is about.
 */
import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  /** Peak resident set (VmHWM), MiB. */
  peakMb: number;
  /** Current resident set (VmRSS), MiB. */
  currentMb: number;
}

/** /proc/<pid>/status lacks the memory lines (kernel thread, or not Linux). */
export class MemoryReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MemoryReadError';
  }
}

function kbField(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (match === null) throw new MemoryReadError(`no ${field} line in /proc status`);
  return Number(match[1]);
}

/**
 * Peak and current RSS from the text of /proc/<pid>/status.
 *
 * @example
 * parseProcStatus('VmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n'); // { peakMb: 200, currentMb: 100 }
 */
export function parseProcStatus(status: string): ProcessMemory {
  return { peakMb: kbField(status, 'VmHWM') / 1024, currentMb: kbField(status, 'VmRSS') / 1024 };
}

/**
 * Memory of `pid`, plus its direct children when `withChildren` (nginx's master + worker).
 *
 * @example
 * const { peakMb } = readProcessMemory(gateway.pid);
 */
export function readProcessMemory(pid: number, withChildren = false): ProcessMemory {
  const pids = withChildren ? [pid, ...childPids(pid)] : [pid];
  let peakMb = 0;
  let currentMb = 0;
  for (const one of pids) {
    const memory = parseProcStatus(readFileSync(`/proc/${one}/status`, 'utf8'));
    peakMb += memory.peakMb;
    currentMb += memory.currentMb;
  }
  return { peakMb, currentMb };
}

/**
 * Direct children of `pid` (from /proc/<pid>/task/<pid>/children; empty if unavailable).
 *
 * @example
 * childPids(nginxMasterPid); // [12345]
 */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((part) => part !== '')
      .map(Number);
  } catch {
    return [];
  }
}
