import { describe, expect, it } from 'vitest';
import { isValidSpecifier, satisfiesSpecifier } from './pep440';

describe('pep440 clauses', () => {
  it('reads clauses with blanks after the operator', () => {
    expect(satisfiesSpecifier('1.0', '== 1.0')).toBe(true);
    expect(satisfiesSpecifier('1.5', '>=1.0,<2')).toBe(true);
    expect(isValidSpecifier('=1.2')).toBe(true);
  });
  it('a hostile clause (a long blank run, then a line break) is no clause, decided at once', { timeout: 5_000 }, () => {
    // `\s*(.+)$` split the blanks every way when a line break followed: 100 000 tabs took 5.5 s
    expect(satisfiesSpecifier('1.0', `==${'\t'.repeat(200_000)}x\ry`)).toBeNull();
  });
});
