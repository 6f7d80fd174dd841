import { describe, expect, it } from 'vitest';
import { mlflowRequirement, pythonVersionOf } from './versions';
import { pip } from './report-builder';

describe('versions of hostile environment files', () => {
  it('pythonVersionOf: the first X.Y[.Z], at once after a long digit run', { timeout: 5_000 }, () => {
    expect(['3.8.5', '=3.10.*', 'python>=3.9', '12'].map(pythonVersionOf)).toEqual(['3.8.5', '3.10', '3.9', null]);
    // each digit of the run re-scanned it: 100 000 digits took 4.6 s
    expect(pythonVersionOf(`${'1'.repeat(200_000)}x3.9.1`)).toBe('3.9.1');
  });
  it("a conda mlflow spec that is a long blank run pins nothing, decided at once", { timeout: 5_000 }, () => {
    const conda = (spec: string) => pip(`mlflow${spec}`, { installer: 'conda', spec });
    expect(mlflowRequirement([conda('=2.7.1=pyhd8ed1ab_0')])?.pinned).toBe('2.7.1');
    expect(mlflowRequirement([conda(' == 2.7.1')])?.pinned).toBe('2.7.1');
    // `\s*=?=?\s*` split the blanks every way: 100 000 tabs took 11.6 s
    expect(mlflowRequirement([conda('\t'.repeat(200_000))])?.pinned).toBeNull();
  });
});
