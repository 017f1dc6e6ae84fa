import { describe, expect, it } from 'vitest';
import { rejectLog } from './reject-log.js';

describe('rejectLog', () => {
  it('prints the first messages, then one notice, then nothing', () => {
    const printed: string[] = [];
    const onInvalid = rejectLog({ log: (line) => printed.push(line) }, 2);
    for (let i = 1; i <= 5; i += 1) onInvalid(`f:${i}: bad`);
    expect(printed).toEqual([
      'f:1: bad',
      'f:2: bad',
      '… more than 2 rejected lines; further ones are only counted',
    ]);
  });
});
