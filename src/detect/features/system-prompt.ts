/**
 * The system prompt as a source of elicitation. A harvester can ask for the full reasoning trace
 * (or a grade) once, in the system prompt, and send bare questions as user turns; read from the
 * user turn alone, such traffic shows no elicitation at all. The system prompt's own cues count
 * as the user turn's would. It repeats across an account's requests, so its scores are remembered
 * per text (bounded like the client caches), and only its head is read.
 */
import type { WireRequest } from '../../contract/types.js';
import { BoundedCache } from './bounded-cache.js';
import { type Elicitation, elicitation } from './elicitation.js';
import { contentText } from './last-user-turn.js';
import { profileText } from './tokens.js';

/** Characters of the system prompt read (instructions come first; pasted context follows). */
export const SYSTEM_HEAD_CHARS = 2048;
/**
 * System prompts remembered; the cache is emptied when full. An account reuses one or a few, so
 * this covers a deployment's working set, and bounds the memory a flood of distinct prompts can
 * take (1,024 × 2,048 UTF-16 characters ≤ 4 MiB); a miss costs one profile of ≤ 2 KB.
 */
const CACHE_MAX = 1024;

const NONE: Elicitation = { cotElicitation: 0, rubricGrading: 0 };
const NO_FIELDS: WireRequest = { messages: [] };
const WORDS = new Int32Array(SYSTEM_HEAD_CHARS);
const cache = new BoundedCache<Elicitation>(CACHE_MAX, SYSTEM_HEAD_CHARS);
const score = (text: string): Elicitation => elicitation(profileText(text, WORDS), NO_FIELDS);

/**
 * The head of a request's system prompt: Anthropic's `system` field, or the OpenAI `system` /
 * `developer` messages before the first user turn; '' when there is none.
 *
 * @example
 * systemPrompt({ system: 'Show your reasoning.', messages: [] }); // 'Show your reasoning.'
 * systemPrompt({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }] }); // 'Be brief.'
 */
export function systemPrompt(request: WireRequest): string {
  if (request.system !== undefined) return contentText(request.system, SYSTEM_HEAD_CHARS).text;
  const messages = Array.isArray(request.messages) ? request.messages : [];
  let text = '';
  for (const m of messages) {
    if (typeof m !== 'object' || m === null) continue;
    if (m.role !== 'system' && m.role !== 'developer') break;
    const part = contentText(m.content, SYSTEM_HEAD_CHARS).text;
    text = text === '' ? part : `${text}\n${part}`;
    if (text.length >= SYSTEM_HEAD_CHARS) return text.slice(0, SYSTEM_HEAD_CHARS);
  }
  return text;
}

/**
 * Elicitation cues of the request's system prompt (request fields such as a thinking budget are
 * the user turn's part, not counted here).
 *
 * @example
 * systemElicitation({ system: 'Always show your full chain of thought.', messages: [] }).cotElicitation > 0.75; // true
 */
export function systemElicitation(request: WireRequest): Elicitation {
  const text = systemPrompt(request);
  if (text === '') return NONE;
  return cache.get(text, score);
}
