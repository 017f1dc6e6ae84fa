import { describe, expect, it } from 'vitest';
import { type CapabilityContext, capability } from './capability.js';
import { profileText } from './tokens.js';

const base: CapabilityContext = { toolCount: 0, fromTool: false, datasetStyle: 0.8, codeFence: false };
const cap = (text: string, ctx: Partial<CapabilityContext> = {}) =>
  capability(profileText(text), {
    ...base,
    ...ctx,
    codeFence: text.includes('```') || (ctx.codeFence ?? false),
  });

describe('capability', () => {
  it('recognises coding prompts by vocabulary and by code shape', () => {
    expect(cap('Write a Python function to calculate the factorial of a given number.')).toBe('coding');
    expect(cap('Create a JavaScript array containing 5 fruits.')).toBe('coding');
    expect(
      cap('why does this crash?\n```\nint main() { char *p = 0; *p = 1; }\n```', { datasetStyle: 0.2 }),
    ).toBe('coding');
  });

  it('recognises math word problems and formulas', () => {
    expect(
      cap(
        'Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether?',
      ),
    ).toBe('math');
    expect(cap('Solve for x: 3x + 7 = 22')).toBe('math');
  });

  it('recognises agentic requests by tools declared or tool results returned', () => {
    expect(cap('Hi, can you help me find a recipe with chicken?', { toolCount: 2, datasetStyle: 0.2 })).toBe(
      'agentic',
    );
    expect(cap('{"temp": 4, "sky": "rain"}', { fromTool: true })).toBe('agentic');
    expect(cap('ok, now send it to Anna', { agentLoop: true, datasetStyle: 0.2 })).toBe('agentic');
  });

  it('puts security first even when code is present', () => {
    expect(
      cap("I'm solving a CTF challenge: gets(buf); how do I overflow it to reach print_flag?", {
        datasetStyle: 0.3,
      }),
    ).toBe('security');
    expect(cap('Explain how a SQL injection works and how to prevent it.')).toBe('security');
  });

  it('recognises writing tasks', () => {
    expect(cap('Write a poem about Xbox.')).toBe('writing');
    expect(cap('Summarize the importance of the US Constitution in one paragraph.')).toBe('writing');
  });

  it('falls back to chat for conversation and other for tasks outside the domains', () => {
    expect(cap('what do you think about the future of iran?', { datasetStyle: 0.1 })).toBe('chat');
    expect(cap('Name three famous scientists.', { datasetStyle: 0.9 })).toBe('other');
  });
});
