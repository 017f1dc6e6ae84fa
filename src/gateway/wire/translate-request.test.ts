import { describe, expect, it } from 'vitest';
import { anthropicToOpenai, openaiToAnthropic, TranslationError } from './translate-request.js';

describe('openaiToAnthropic', () => {
  it('moves system prompts out, merges tool results into user turns and maps tools', () => {
    const out = openaiToAnthropic(
      {
        model: 'alias',
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'weather?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 't1', type: 'function', function: { name: 'get', arguments: '{"city":"Oslo"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 't1', content: 'rain' },
          { role: 'user', content: [{ type: 'text', text: 'and?' }] },
        ],
        tools: [
          { type: 'function', function: { name: 'get', description: 'd', parameters: { type: 'object' } } },
        ],
        tool_choice: 'required',
        stop: 'END',
        max_completion_tokens: 50,
        stream: true,
      },
      'claude-x',
      1024,
    );
    expect(out).toEqual({
      model: 'claude-x',
      system: 'be brief',
      max_tokens: 50,
      stream: true,
      stop_sequences: ['END'],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't1', name: 'get', input: { city: 'Oslo' } }],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: 'rain' },
            { type: 'text', text: 'and?' },
          ],
        },
      ],
      tools: [{ name: 'get', description: 'd', input_schema: { type: 'object' } }],
      tool_choice: { type: 'any' },
    });
  });

  it('uses the default max_tokens and converts data-URL images', () => {
    const out = openaiToAnthropic(
      {
        model: 'a',
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAA' } }] },
        ],
      },
      'c',
      777,
    );
    expect(out.max_tokens).toBe(777);
    expect(out.messages).toEqual([
      {
        role: 'user',
        content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAA' } }],
      },
    ]);
  });

  it('refuses what Anthropic cannot express, naming the field', () => {
    expect(() => openaiToAnthropic({ model: 'a', n: 2, messages: [] }, 'c', 1)).toThrow(TranslationError);
    expect(() =>
      openaiToAnthropic(
        { model: 'a', messages: [{ role: 'user', content: [{ type: 'input_audio' }] }] },
        'c',
        1,
      ),
    ).toThrow('messages[0].content[0].type');
  });
});

describe('anthropicToOpenai', () => {
  it('maps system, tool_use/tool_result and tools, asking for usage when streaming', () => {
    const out = anthropicToOpenai(
      {
        model: 'a',
        max_tokens: 64,
        system: [{ type: 'text', text: 'sys' }],
        stream: true,
        stop_sequences: ['X'],
        messages: [
          { role: 'user', content: 'hi' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'hmm' },
              { type: 'tool_use', id: 'u1', name: 'f', input: { a: 1 } },
            ],
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'u1', content: [{ type: 'text', text: 'ok' }] }],
          },
        ],
        tools: [{ name: 'f', input_schema: { type: 'object' } }],
        tool_choice: { type: 'tool', name: 'f' },
      },
      'llama',
    );
    expect(out).toEqual({
      model: 'llama',
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
      stop: ['X'],
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'u1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
        },
        { role: 'tool', tool_call_id: 'u1', content: 'ok' },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
    });
  });

  it('refuses unknown content blocks', () => {
    expect(() =>
      anthropicToOpenai(
        { model: 'a', max_tokens: 1, messages: [{ role: 'user', content: [{ type: 'document' }] }] },
        'l',
      ),
    ).toThrow('messages[0].content[0].type');
  });
});
