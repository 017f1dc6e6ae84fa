/**
 * What forwarding the client's bytes saves over re-serialising the parsed request for the
 * upstream (src/gateway/proxy/chat.ts, same format and model name): times
 * `JSON.stringify({ ...request, model })` on chat bodies of several prompt sizes and prints
 * microseconds per request (median of rounds). The forwarded path costs nothing per request.
 *
 *   npx tsx bench/gateway/body-forward.ts
 */
import { reportErrors } from '../script-errors.js';

reportErrors(import.meta.url);

const SIZES = [1_000, 32_000, 1_000_000];
const ROUNDS = 5;

function bodyOf(promptChars: number): Record<string, unknown> {
  const prompt = 'Explain how tides work, step by step. '
    .repeat(Math.ceil(promptChars / 38))
    .slice(0, promptChars);
  return {
    model: 'mock-small',
    temperature: 0.2,
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: prompt },
    ],
  };
}

for (const size of SIZES) {
  const parsed = bodyOf(size);
  const calls = Math.max(20, Math.floor(2_000_000 / size));
  const samples: number[] = [];
  // Summed so the serialisation cannot be optimised away; printed as bytes per request.
  let bytes = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) bytes += JSON.stringify({ ...parsed, model: 'mock-small' }).length;
    samples.push(((performance.now() - start) * 1000) / calls);
  }
  samples.sort((a, b) => a - b);
  process.stdout.write(
    `prompt ${String(size).padStart(9)} chars: re-serialise ${(samples[Math.floor(ROUNDS / 2)] ?? 0).toFixed(1)} µs/request (${Math.round(bytes / (calls * ROUNDS))} bytes)\n`,
  );
}
