/**
 * Keeps WebAssembly on V8's baseline compiler (Liftoff). The gateway's only WebAssembly is
 * undici's HTTP/1 parser (llhttp). Under load V8 tiers its hot, very large parse function up to
 * TurboFan on a background thread; that one compilation takes ~17 MB of transient compiler memory
 * (heaptrack: zone segments under `GenerateCodeForWasmFunction`), which glibc then keeps in that
 * thread's malloc arena for the life of the process. Measured on `serve` under wrk (16 and 64
 * connections, 3 pairs): peak RSS 155–157 MB by default, 148–150 MB with Liftoff only. Parsing is
 * ~1 % of the request thread's CPU (cpu profile), so the baseline code costs little.
 * V8 reads the flag when it compiles a module, so setting it before the first upstream request
 * is enough; no launcher flag is needed.
 */
import { setFlagsFromString } from 'node:v8';

/** A process started with an explicit WebAssembly tiering flag keeps it. */
const TIER_FLAG = /^--(no-)?(liftoff|wasm[-_]tier|wasm[-_]dynamic[-_]tiering)/;

/**
 * Makes V8 compile WebAssembly with Liftoff only, never TurboFan. Returns false (and changes
 * nothing) when node was started with its own WebAssembly tiering flag.
 *
 * @example
 * keepWasmOnBaselineCompiler(); // in `serve`, before the gateway makes its first upstream request
 */
export function keepWasmOnBaselineCompiler(): boolean {
  if (process.execArgv.some((arg) => TIER_FLAG.test(arg))) return false;
  setFlagsFromString('--liftoff-only');
  return true;
}
