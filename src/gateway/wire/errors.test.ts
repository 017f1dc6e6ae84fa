import { describe, expect, it } from 'vitest';
import { apiError, errorBody, streamErrorEvent } from './errors.js';

describe('API-shaped errors', () => {
  it('uses OpenAI {error:{message,type,param,code}}', () => {
    expect(errorBody('openai', 'not_found', 'no such model', { param: 'model' })).toEqual({
      error: {
        message: 'no such model',
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      },
    });
  });

  it('uses Anthropic {type:"error",error:{type,message}}', () => {
    expect(errorBody('anthropic', 'account_blocked', 'blocked (case c-1)')).toEqual({
      type: 'error',
      error: { type: 'account_blocked', message: 'blocked (case c-1)' },
    });
  });

  it('defaults the status per kind and lets callers override it', () => {
    expect(apiError('request_too_large', 'x').status).toBe(413);
    expect(apiError('upstream', 'x', { status: 504 }).status).toBe(504);
  });

  it('formats mid-stream errors per API', () => {
    expect(streamErrorEvent('openai', 'upstream', 'lost')).toMatch(/^data: \{"error":\{"message":"lost"/);
    expect(streamErrorEvent('anthropic', 'upstream', 'lost')).toMatch(
      /^event: error\ndata: \{"type":"error"/,
    );
  });
});
