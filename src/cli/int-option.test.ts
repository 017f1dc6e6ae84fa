import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import { intOption } from './int-option.js';

describe('intOption', () => {
  it('accepts whole numbers in range and names the flag otherwise', () => {
    const port = intOption('--port', 0, 65535);
    expect(port('8080')).toBe(8080);
    expect(() => port('80.5')).toThrow(UsageError);
    expect(() => port('abc')).toThrow('--port must be a whole number from 0 to 65535, got "abc"');
    expect(() => port('70000')).toThrow(UsageError);
  });
});
