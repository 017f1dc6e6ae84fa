import { describe, expect, it } from 'vitest';
import type { ExchangeEvent } from '../../contract/types.js';
import { extractFeatures } from './extract.js';
import { hamming } from './simhash.js';

function event(
  request: Record<string, unknown>,
  client: ExchangeEvent['client'] = { ip: '203.0.113.9' },
): ExchangeEvent {
  return {
    id: 'e1',
    ts: '2026-02-01T00:00:00.000Z',
    account_id: 'acct-1',
    client,
    api: 'openai.chat',
    model: 'model-large',
    request: { messages: [], ...request },
  };
}

describe('extractFeatures', () => {
  it('profiles a distillation-style request', () => {
    const f = extractFeatures(
      event(
        {
          messages: [
            {
              role: 'user',
              content:
                'Betty is saving money for a new wallet which costs $100. Her parents give her $15. How much more money does Betty need? Show your work step by step.',
            },
          ],
          max_tokens: 16384,
          logprobs: true,
          top_logprobs: 5,
        },
        { ip: '198.51.100.23', user_agent: 'python-requests/2.32.3', asn: 16509, asn_org: 'AMAZON-02' },
      ),
    );
    expect(f).toMatchObject({
      capability: 'math',
      userTurns: 1,
      buildsOnAnswer: false,
      toolCount: 0,
      asnKind: 'hosting',
      uaFamily: 'python-requests',
      subnet: '198.51.100.0/24',
    });
    expect(f.cotElicitation).toBeGreaterThan(0.75);
    expect(f.datasetStyle).toBeGreaterThan(0.5);
    expect(f.outputHunger).toBeGreaterThan(0.7);
  });

  it('profiles a conversational Anthropic request with history', () => {
    const f = extractFeatures({
      ...event(
        {
          system: 'You are a helpful assistant.',
          messages: [
            { role: 'user', content: [{ type: 'text', text: 'hey, can you recommend a sci-fi book?' }] },
            {
              role: 'assistant',
              content: [{ type: 'text', text: 'Try "The Left Hand of Darkness" by Ursula K. Le Guin.' }],
            },
            { role: 'user', content: [{ type: 'text', text: 'thanks! anything shorter by her?' }] },
          ],
          max_tokens: 1024,
        },
        {
          ip: '2001:db8:42:7::1',
          user_agent: 'Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15',
          asn_org: 'Comcast Cable Communications',
        },
      ),
      api: 'anthropic.messages',
    });
    expect(f).toMatchObject({
      capability: 'chat',
      userTurns: 2,
      buildsOnAnswer: true,
      outputHunger: 0,
      asnKind: 'residential',
      uaFamily: 'safari',
      subnet: '2001:db8:42::/48',
    });
    expect(f.datasetStyle).toBeLessThan(0.3);
  });

  it('profiles an agent loop by tools and tool results', () => {
    const f = extractFeatures(
      event({
        messages: [
          { role: 'user', content: 'Book a table for two tonight.' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search' } }],
          },
          { role: 'tool', tool_call_id: 'c1', content: '[{"name": "Luigi", "free": true}]' },
        ],
        tools: [{ type: 'function', function: { name: 'search', parameters: {} } }],
      }),
    );
    expect(f).toMatchObject({ capability: 'agentic', toolCount: 1, userTurns: 1 });
  });

  it('gives two fills of one template the same skeleton and close SimHashes', () => {
    const fill = (city: string, n: number) =>
      extractFeatures(
        event({
          messages: [
            {
              role: 'user',
              content: `Act as a travel agent. Plan a ${n}-day itinerary for ${city} with a budget, three meals a day and one museum visit per day. Explain your reasoning for each choice.`,
            },
          ],
        }),
      );
    const a = fill('Lisbon', 3);
    const b = fill('Kyoto', 5);
    expect(a.skeleton).toBe(b.skeleton);
    expect(
      hamming({ hi: a.simhashHi, lo: a.simhashLo }, { hi: b.simhashHi, lo: b.simhashLo }),
    ).toBeLessThanOrEqual(12);
  });

  it('survives empty and malformed requests', () => {
    const f = extractFeatures(event({ messages: [{ role: 'user' }, 'junk', null] }, { ip: 'nonsense' }));
    expect(f).toMatchObject({
      promptChars: 0,
      userTurns: 1,
      subnet: 'invalid',
      uaFamily: 'unknown',
    });
    expect(extractFeatures(event({ messages: 'not-an-array' })).userTurns).toBe(0);
  });

  it('reads only a bounded head of a 5 MB prompt (work is bounded; speed is measured in bench/features.ts)', () => {
    // Deterministic stand-in for a wall-clock bound: two 5 MB prompts that share an ~20 KB head and
    // differ in everything after it must give identical features, so nothing past the head is read.
    const head = 'The quick brown fox jumps over the lazy dog 12 times. '.repeat(400);
    const a = extractFeatures(
      event({ messages: [{ role: 'user', content: head + 'Alpha beta gamma delta. '.repeat(200_000) }] }),
    );
    const b = extractFeatures(
      event({ messages: [{ role: 'user', content: head + 'Zeta eta theta iota 99. '.repeat(200_000) }] }),
    );
    expect(a).toEqual(b);
    expect(a.promptChars).toBe(head.length + 24 * 200_000);
  });
});
