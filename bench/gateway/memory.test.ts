import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childPids, MemoryReadError, parseProcStatus, readProcessMemory } from './memory.js';

describe('parseProcStatus', () => {
  it('reads VmHWM and VmRSS in MiB', () => {
    const status = 'Name:\tnode\nVmPeak:\t 999999 kB\nVmHWM:\t  153600 kB\nVmRSS:\t   51200 kB\n';
    expect(parseProcStatus(status)).toEqual({ peakMb: 150, currentMb: 50 });
  });
  it('names the missing line', () => {
    expect(() => parseProcStatus('Name:\tkthreadd\n')).toThrow(MemoryReadError);
    expect(() => parseProcStatus('VmHWM:\t1 kB\n')).toThrow(/VmRSS/);
  });
});

describe('readProcessMemory', () => {
  it.runIf(process.platform === 'linux')(
    'reads a live process and sums its children when asked',
    async () => {
      // A shell waiting on a sleep: two processes whose resident sets stay put while we read them.
      const parent = spawn('sh', ['-c', 'sleep 5 & wait']);
      let children: number[] = [];
      try {
        await new Promise((resolve) => setTimeout(resolve, 200));
        children = childPids(parent.pid!);
        expect(children).toHaveLength(1);
        const own = readProcessMemory(parent.pid!);
        const child = readProcessMemory(children[0]!);
        expect(own.peakMb).toBeGreaterThanOrEqual(own.currentMb);
        expect(own.currentMb).toBeGreaterThan(0);
        expect(readProcessMemory(parent.pid!, true).currentMb).toBeCloseTo(
          own.currentMb + child.currentMb,
          1,
        );
      } finally {
        for (const pid of children) process.kill(pid);
        parent.kill();
      }
    },
  );
});
