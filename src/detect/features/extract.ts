/**
 * Per-exchange feature extraction: everything the detector derives from one event alone.
 * The last user turn is profiled once (word hashes + shape counts) and every text feature reads
 * that profile, so a ~1 KB prompt costs a small multiple of one hashing pass over it (see
 * bench/features.ts) and a megabyte prompt costs what its first 8 KB do. The system prompt is
 * read for elicitation cues too, once per distinct prompt (system-prompt.ts).
 */
import type { ExchangeEvent } from '../../contract/types.js';
import { capability } from './capability.js';
import { asnKind, subnetOf, uaFamily } from './client.js';
import { continuity } from './continuity.js';
import { datasetStyle } from './dataset-style.js';
import { elicitation } from './elicitation.js';
import { lastUserTurn } from './last-user-turn.js';
import { outputHunger } from './output-hunger.js';
import { agentLoop, toolCount } from './request-fields.js';
import { simhashWords } from './simhash.js';
import { skeleton } from './skeleton.js';
import { systemElicitation } from './system-prompt.js';
import { MAX_WORDS, profileText } from './tokens.js';
import type { ExchangeFeatures } from './types.js';

const WORDS = new Int32Array(MAX_WORDS);

/**
 * Extracts the features of one exchange event (the request side; the response is not needed).
 * Never throws on odd requests: missing or malformed fields count as absent.
 *
 * @example
 * const f = extractFeatures({
 *   id: 'e1', ts: '2026-02-01T00:00:00.000Z', account_id: 'a1', api: 'openai.chat', model: 'm',
 *   client: { ip: '203.0.113.9', user_agent: 'python-requests/2.32' },
 *   request: { messages: [{ role: 'user', content: 'Solve step by step: 12 * 7 = ?' }] },
 * });
 * f.capability; // 'math'
 * f.cotElicitation > 0.5; // true
 * f.subnet; // '203.0.113.0/24'
 */
export function extractFeatures(event: ExchangeEvent): ExchangeFeatures {
  const request = event.request;
  const messages = Array.isArray(request.messages) ? request.messages : [];
  const turn = lastUserTurn(messages);
  const tools = toolCount(request);
  // Before the turn is profiled: the cue counts are cached per profile, and the turn's are read last.
  const fromSystem = systemElicitation(request);

  // A buffer of our own: nothing else profiles into it, so the hashes need no copy.
  const words = profileText(turn.head, WORDS);
  const hashes = words.hashes;

  const turns = continuity(messages, turn.index, words);
  const style = datasetStyle(words, { userTurns: turns.userTurns });
  const elicit = elicitation(words, request);
  const sim = simhashWords(hashes, hashes.length);
  const client = event.client ?? { ip: '' };
  return {
    promptChars: turn.chars,
    skeleton: skeleton(turn.head),
    simhashHi: sim.hi,
    simhashLo: sim.lo,
    capability: capability(words, {
      toolCount: tools,
      fromTool: turn.fromTool,
      agentLoop: agentLoop(messages),
      datasetStyle: style,
      codeFence: turn.head.includes('```'),
    }),
    cotElicitation: Math.max(elicit.cotElicitation, fromSystem.cotElicitation),
    rubricGrading: Math.max(elicit.rubricGrading, fromSystem.rubricGrading),
    datasetStyle: style,
    userTurns: turns.userTurns,
    buildsOnAnswer: turns.buildsOnAnswer,
    outputHunger: outputHunger(request),
    toolCount: tools,
    asnKind: asnKind(client.asn, client.asn_org),
    uaFamily: uaFamily(client.user_agent),
    subnet: typeof client.ip === 'string' ? subnetOf(client.ip) : 'invalid',
  };
}
