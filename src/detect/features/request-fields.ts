/**
 * Typed reads of optional request fields in either wire format. Requests are client-supplied
 * JSON, so every read checks the type and treats anything unexpected as absent.
 */
import type { WireRequest } from '../../contract/types.js';

/**
 * A finite number field, or undefined.
 *
 * @example
 * numberField({ messages: [], max_tokens: 512 }, 'max_tokens'); // 512
 */
export function numberField(request: WireRequest, key: string): number | undefined {
  const v = request[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * A string field, or undefined.
 *
 * @example
 * stringField({ messages: [], reasoning_effort: 'high' }, 'reasoning_effort'); // 'high'
 */
export function stringField(request: WireRequest, key: string): string | undefined {
  const v = request[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Requested reasoning effort: OpenAI `reasoning_effort` or `reasoning.effort`, lower-cased.
 *
 * @example
 * reasoningEffort({ messages: [], reasoning: { effort: 'HIGH' } }); // 'high'
 */
export function reasoningEffort(request: WireRequest): string | undefined {
  const flat = stringField(request, 'reasoning_effort');
  if (flat !== undefined) return flat.toLowerCase();
  const nested = request.reasoning;
  if (typeof nested === 'object' && nested !== null && 'effort' in nested) {
    const effort = (nested as { effort?: unknown }).effort;
    if (typeof effort === 'string') return effort.toLowerCase();
  }
  return undefined;
}

/**
 * Anthropic extended-thinking budget in tokens: `thinking: { type: 'enabled', budget_tokens }`;
 * 0 when thinking is off or absent.
 *
 * @example
 * thinkingBudget({ messages: [], thinking: { type: 'enabled', budget_tokens: 16000 } }); // 16000
 */
export function thinkingBudget(request: WireRequest): number {
  const t = request.thinking;
  if (typeof t !== 'object' || t === null) return 0;
  const { type, budget_tokens: budget } = t as { type?: unknown; budget_tokens?: unknown };
  if (type === 'disabled') return 0;
  if (typeof budget === 'number' && Number.isFinite(budget) && budget > 0) return budget;
  return type === 'enabled' || type === 'adaptive' ? 1024 : 0;
}

/**
 * Number of tools declared (`tools` array in either format; legacy OpenAI `functions` too).
 *
 * @example
 * toolCount({ messages: [], tools: [{ type: 'function', function: { name: 'f' } }] }); // 1
 */
export function toolCount(request: WireRequest): number {
  const tools = request.tools;
  if (Array.isArray(tools)) return tools.length;
  const functions = request.functions;
  return Array.isArray(functions) ? functions.length : 0;
}

/**
 * True when the conversation shows an agent loop: an assistant turn that called tools (OpenAI
 * `tool_calls` / `function_call`, Anthropic `tool_use` blocks) or a returned tool result.
 *
 * @example
 * agentLoop([{ role: 'user', content: 'hi' }, { role: 'assistant', tool_calls: [{ id: 'c1' }] }]); // true
 */
export function agentLoop(messages: readonly unknown[]): boolean {
  for (const m of messages) {
    if (typeof m !== 'object' || m === null) continue;
    const msg = m as { role?: unknown; content?: unknown; tool_calls?: unknown; function_call?: unknown };
    if (msg.role === 'tool' || msg.role === 'function') return true;
    if (msg.role === 'assistant' && (Array.isArray(msg.tool_calls) || msg.function_call !== undefined))
      return true;
    if (Array.isArray(msg.content)) {
      for (const block of msg.content) {
        if (typeof block !== 'object' || block === null) continue;
        const type = (block as { type?: unknown }).type;
        if (type === 'tool_use' || type === 'tool_result') return true;
      }
    }
  }
  return false;
}
