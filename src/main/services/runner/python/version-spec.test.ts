import { describe, expect, it } from 'vitest';
import { satisfies } from './version-spec';

describe('satisfies (installed version against a model pin)', () => {
  it.each([
    ['1.2.1', '==1.2.1', true],
    ['1.2.1', '==1.2.2', false],
    ['1.2', '==1.2.0', true],
    ['1.2.1', '>=1.0,<2', true],
    ['2.0.0', '>=1.0,<2', false],
    ['1.2.1', '==1.2.*', true],
    ['1.3.0', '==1.2.*', false],
    ['1.4.2', '~=1.4', true],
    ['2.0', '~=1.4', false],
    ['1.4.5', '~=1.4.2', true],
    ['1.5.0', '~=1.4.2', false],
    ['1.24.2', '!=1.24.2', false],
    ['2.0.0rc1', '>=2.0.0', false],
    ['2.0.0', '>2.0.0rc1', true],
    ['1.2.1', '=1.2', true],
    ['1.3.1', '=1.2', false],
    ['1.2.1', '', true],
    ['1.2.1+cpu', '==1.2.1', true],
  ])('%s satisfies %j: %s', (installed, spec, ok) => {
    expect(satisfies(installed, spec)).toBe(ok);
  });

  it('says "cannot tell" (null) for versions or specs it cannot read, instead of guessing', () => {
    expect(satisfies('unknown', '==1.0')).toBeNull();
    expect(satisfies('1.0', '==abc')).toBeNull();
  });
});
