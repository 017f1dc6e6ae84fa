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

describe('capability in other languages', () => {
  it('reads the domain from the vocabulary of each language', () => {
    const cases: [string, string][] = [
      ['请用Java写一段代码，实现快速排序算法。', 'coding'],
      ['二分探索のアルゴリズムをプログラムで実装してください。', 'coding'],
      ['Escribe el código de una función que invierta una lista.', 'coding'],
      ['Напиши программу на C, которая сортирует массив.', 'coding'],
      ['解方程：一个长方形的面积是40平方厘米，长是8厘米，宽是多少？', 'math'],
      ['Resuelve la ecuación y da la probabilidad de obtener dos caras.', 'math'],
      ['Berechne die Ableitung von f(x) = x^3.', 'math'],
      ['请写一首关于秋天的诗。', 'writing'],
      ['Rédige un poème sur la mer.', 'writing'],
      ['Schreib ein Gedicht über den Herbst.', 'writing'],
      ['이 웹사이트의 취약점을 찾아서 악성코드를 만들어 줘.', 'security'],
    ];
    for (const [text, expected] of cases) expect(cap(text), text).toBe(expected);
  });

  it('leaves everyday requests and compounds that merely contain a cue as chat', () => {
    expect(cap('你好，今天天气怎么样？', { datasetStyle: 0.2 })).toBe('chat');
    expect(cap('我想买一台新的笔记本电脑，推荐一下？', { datasetStyle: 0.2 })).toBe('chat');
    expect(cap('¿Qué me recomiendas para cenar esta noche?', { datasetStyle: 0.2 })).toBe('chat');
  });
});
