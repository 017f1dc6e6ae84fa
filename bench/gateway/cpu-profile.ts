/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`) into the functions and files that
 * take the time — self time and inclusive time as % of all samples — so profiling findings
 * can be written down as concrete numbers. Usable as a script:
 *
 *   npx tsx bench/gateway/cpu-profile.ts <file.cpuprofile> [top-n]
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
}

export interface ProfileEntry {
  /** `function (file:line)`. */
  name: string;
  selfPercent: number;
  totalPercent: number;
}

/** The file is not a V8 CPU profile. */
export class ProfileFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileFormatError';
  }
}

function fileOf(frame: CallFrame): string {
  if (frame.url === '') {
    // Native or engine entries: (idle), (garbage collector), writev …
    const fn = frame.functionName === '' ? 'native' : frame.functionName;
    return fn.startsWith('(') ? fn : `(${fn})`;
  }
  const file = frame.url.replace(/^file:\/\//, '');
  return file.includes('/dist/') ? file.slice(file.indexOf('/dist/') + 1) : basename(file);
}

function label(frame: CallFrame): string {
  const fn = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return fn;
  return `${fn} (${fileOf(frame)}:${frame.lineNumber + 1})`;
}

/**
 * Self and inclusive % per function (entries merged by name; recursion counted once per stack).
 *
 * @example
 * const top = summarizeProfile(JSON.parse(readFileSync(file, 'utf8'))).slice(0, 20);
 */
export function summarizeProfile(profile: CpuProfile): ProfileEntry[] {
  if (!Array.isArray(profile.nodes) || profile.nodes.length === 0) {
    throw new ProfileFormatError('no "nodes" array: not a .cpuprofile file');
  }
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    all += hits;
    const name = label(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + hits);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const ancestor = label(byId.get(id)!.callFrame);
      if (seen.has(ancestor)) continue;
      seen.add(ancestor);
      total.set(ancestor, (total.get(ancestor) ?? 0) + hits);
    }
  }
  if (all === 0) throw new ProfileFormatError('the profile has no samples');
  return [...total.entries()]
    .map(([name, hits]) => ({
      name,
      selfPercent: (100 * (self.get(name) ?? 0)) / all,
      totalPercent: (100 * hits) / all,
    }))
    .sort((a, b) => b.selfPercent - a.selfPercent || b.totalPercent - a.totalPercent);
}

/**
 * Self % summed per source file (where the time is spent, by module).
 *
 * @example
 * summarizeFiles(profile).slice(0, 10);
 */
export function summarizeFiles(profile: CpuProfile): Array<{ file: string; selfPercent: number }> {
  const perFile = new Map<string, number>();
  let all = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    all += hits;
    const file = fileOf(node.callFrame);
    perFile.set(file, (perFile.get(file) ?? 0) + hits);
  }
  if (all === 0) throw new ProfileFormatError('the profile has no samples');
  return [...perFile.entries()]
    .map(([file, hits]) => ({ file, selfPercent: (100 * hits) / all }))
    .sort((a, b) => b.selfPercent - a.selfPercent);
}

/**
 * The area a frame belongs to: an npm package, a folder of our build (dist/gateway/proxy …),
 * Node's core, or the engine (idle, GC, native calls such as writev).
 *
 * @example
 * areaOf({ functionName: 'f', url: 'file:///x/node_modules/undici/lib/a.js', lineNumber: 0 }); // 'npm:undici'
 */
export function areaOf(frame: CallFrame): string {
  const url = frame.url;
  if (url === '') return fileOf(frame);
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg !== null) return `npm:${pkg[1]}`;
  const ours = /\/dist\/([^/]+(?:\/[^/]+(?=\/))?)/.exec(url);
  if (ours !== null) return `dist/${ours[1]}`;
  if (url.startsWith('node:')) return 'node core';
  return basename(url);
}

/**
 * Self % summed per area (see areaOf).
 *
 * @example
 * summarizeAreas(profile); // [{ area: '(idle)', selfPercent: 21 }, { area: 'npm:undici', … }, …]
 */
export function summarizeAreas(profile: CpuProfile): Array<{ area: string; selfPercent: number }> {
  const perArea = new Map<string, number>();
  let all = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    all += hits;
    const area = areaOf(node.callFrame);
    perArea.set(area, (perArea.get(area) ?? 0) + hits);
  }
  if (all === 0) throw new ProfileFormatError('the profile has no samples');
  return [...perArea.entries()]
    .map(([area, hits]) => ({ area, selfPercent: (100 * hits) / all }))
    .sort((a, b) => b.selfPercent - a.selfPercent);
}

/**
 * The three summaries as text: top functions by self time, areas, and files.
 *
 * @example
 * process.stdout.write(formatProfileSummary(profile, 25));
 */
export function formatProfileSummary(profile: CpuProfile, top: number): string {
  const lines = ['self%  total%  function'];
  for (const entry of summarizeProfile(profile).slice(0, top)) {
    lines.push(
      `${entry.selfPercent.toFixed(1).padStart(5)}  ${entry.totalPercent.toFixed(1).padStart(6)}  ${entry.name}`,
    );
  }
  lines.push('', 'self%  area');
  for (const entry of summarizeAreas(profile)) {
    if (entry.selfPercent >= 0.5) lines.push(`${entry.selfPercent.toFixed(1).padStart(5)}  ${entry.area}`);
  }
  lines.push('', 'self%  file');
  for (const entry of summarizeFiles(profile).slice(0, top)) {
    lines.push(`${entry.selfPercent.toFixed(1).padStart(5)}  ${entry.file}`);
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, topArg] = process.argv.slice(2);
  if (file === undefined) {
    process.stderr.write('usage: npx tsx bench/gateway/cpu-profile.ts <file.cpuprofile> [top-n]\n');
    process.exitCode = 2;
  } else {
    try {
      const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
      process.stdout.write(formatProfileSummary(profile, Number(topArg ?? 25)));
    } catch (error) {
      process.stderr.write(
        `cpu-profile: ${file}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 1;
    }
  }
}
