import { describe, expect, it } from 'vitest';
import { expandHome } from './home-path';

describe('expandHome', () => {
  it.each([
    ['~', '/home/ada'],
    ['~/models/diabetes', '/home/ada/models/diabetes'],
    ['/abs/~/x', '/abs/~/x'],
    ['rel/~', 'rel/~'],
    ['~bob/models', '~bob/models'],
  ])('%s → %s', (input, expected) => {
    expect(expandHome(input, '/home/ada')).toBe(expected);
  });
});
