import { describe, expect, it } from 'vitest';
import {
  areaOf,
  type CpuProfile,
  ProfileFormatError,
  summarizeAreas,
  summarizeFiles,
  summarizeProfile,
} from './cpu-profile.js';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber });

// root → handle (chat.js) → parse (chat.js) ; handle → writev (native); root → (idle)
const PROFILE: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), hitCount: 0, children: [2, 5] },
    {
      id: 2,
      callFrame: frame('handle', 'file:///tmp/x/dist/gateway/chat.js', 9),
      hitCount: 10,
      children: [3, 4],
    },
    { id: 3, callFrame: frame('parse', 'file:///tmp/x/dist/gateway/chat.js', 41), hitCount: 30 },
    { id: 4, callFrame: frame('writev'), hitCount: 20 },
    { id: 5, callFrame: frame('(idle)'), hitCount: 40 },
  ],
};

describe('summarizeProfile', () => {
  it('ranks by self time and counts callees in inclusive time', () => {
    const entries = summarizeProfile(PROFILE);
    expect(entries[0]).toEqual({ name: '(idle)', selfPercent: 40, totalPercent: 40 });
    const handle = entries.find((e) => e.name === 'handle (dist/gateway/chat.js:10)');
    expect(handle).toEqual({ name: 'handle (dist/gateway/chat.js:10)', selfPercent: 10, totalPercent: 60 });
    expect(entries.find((e) => e.name === '(root)')?.totalPercent).toBe(100);
  });

  it('counts a recursive function once per stack', () => {
    const recursive: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('walk', 'file:///a.js'), hitCount: 1, children: [2] },
        { id: 2, callFrame: frame('walk', 'file:///a.js'), hitCount: 1 },
      ],
    };
    expect(summarizeProfile(recursive)[0]).toEqual({
      name: 'walk (a.js:1)',
      selfPercent: 100,
      totalPercent: 100,
    });
  });

  it('rejects what is not a profile', () => {
    expect(() => summarizeProfile({ nodes: [] })).toThrow(ProfileFormatError);
    expect(() => summarizeProfile({ nodes: [{ id: 1, callFrame: frame('x') }] })).toThrow(/no samples/);
  });
});

describe('summarizeFiles', () => {
  it('adds self time per file', () => {
    const files = summarizeFiles(PROFILE);
    expect(files[0]).toEqual({ file: 'dist/gateway/chat.js', selfPercent: 40 });
    expect(files).toContainEqual({ file: '(writev)', selfPercent: 20 });
  });
});

describe('areaOf', () => {
  it('groups frames by npm package, build folder, node core or engine', () => {
    const at = (url: string) => areaOf({ functionName: 'f', url, lineNumber: 0 });
    expect(at('file:///w/node_modules/undici/lib/dispatcher/client-h1.js')).toBe('npm:undici');
    expect(at('file:///w/node_modules/@hono/node-server/dist/index.js')).toBe('npm:@hono/node-server');
    expect(at('file:///tmp/b/dist/gateway/proxy/chat.js')).toBe('dist/gateway/proxy');
    expect(at('file:///tmp/b/dist/gateway/server.js')).toBe('dist/gateway');
    expect(at('node:_http_server')).toBe('node core');
    expect(areaOf({ functionName: '(garbage collector)', url: '', lineNumber: 0 })).toBe(
      '(garbage collector)',
    );
  });

  it('sums self time per area', () => {
    expect(summarizeAreas(PROFILE)).toEqual([
      { area: 'dist/gateway', selfPercent: 40 },
      { area: '(idle)', selfPercent: 40 },
      { area: '(writev)', selfPercent: 20 },
      { area: '(root)', selfPercent: 0 },
    ]);
  });
});
