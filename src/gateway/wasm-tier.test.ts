import { describe, expect, it } from 'vitest';
import { runInFreshNode } from './testing/fresh-node.js';

const moduleUrl = new URL('./wasm-tier.ts', import.meta.url).href;

/**
 * Runs a hot WebAssembly function in a fresh node (V8 flags are process-wide) and reports which
 * tier V8 left it on. `%IsTurboFanFunction` needs --allow-natives-syntax, hence the child.
 */
function tierAfterHotLoop(keepBaseline: boolean, nodeFlags: string[] = []): Record<string, boolean> {
  const script = `
    import { keepWasmOnBaselineCompiler } from ${JSON.stringify(moduleUrl)};
    const applied = ${keepBaseline ? 'keepWasmOnBaselineCompiler()' : 'false'};
    // (module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
    const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,7,1,96,2,127,127,1,127,3,2,1,0,7,7,1,3,97,100,
      100,0,0,10,9,1,7,0,32,0,32,1,106,11]);
    const { instance } = await WebAssembly.instantiate(bytes);
    const add = instance.exports.add;
    // Hot enough for V8's dynamic tiering; tier-up compiles in the background, so give it time.
    for (let round = 0; round < 20 && !%IsTurboFanFunction(add); round++) {
      for (let i = 0; i < 1e6; i++) add(i, 1);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    console.log(JSON.stringify({ applied, turbofan: %IsTurboFanFunction(add) }));
  `;
  return runInFreshNode<Record<string, boolean>>(script, ['--allow-natives-syntax', ...nodeFlags]);
}

describe('keepWasmOnBaselineCompiler', () => {
  it('keeps a hot WebAssembly function off TurboFan, where V8 would otherwise tier it up', () => {
    expect(tierAfterHotLoop(false)).toEqual({ applied: false, turbofan: true });
    expect(tierAfterHotLoop(true)).toEqual({ applied: true, turbofan: false });
  }, 60_000);

  it('leaves a process started with its own tiering flag alone', () => {
    expect(tierAfterHotLoop(true, ['--no-liftoff-only'])).toEqual({ applied: false, turbofan: true });
  }, 60_000);
});
