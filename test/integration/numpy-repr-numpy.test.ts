/**
 * `ndarrayStr` / `ndarrayRepr` (2.12's messages embed `str()` and `repr()` of the input arrays) against the real
 * numpy 1.24 of the MLflow servers' machine (Debian's python3-numpy): random arrays of one to three dimensions,
 * float64, float32, int64, bool and str, small and — past numpy's threshold of 1 000 elements — summarised
 * (`[1. 2. 3. ... 7. 8. 9.]`, the format taken from the shown elements only). Each goes through the engine's own
 * `ndarrayFrom` and printout, and through `np.array(data, dtype=…)`'s `str()` and `repr()`. Every text must be
 * identical.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ndarrayFrom } from '@shared/mlflow/payload/frame';
import { ndarrayRepr, ndarrayStr } from '@shared/mlflow/payload/numpy-repr';
import { parsePyJson } from '@shared/mlflow/payload/py-json';
import { prng } from '../support/corrupt-files';
import { SYSTEM_PYTHON, sklearnSkipReason } from '../support/sklearn-models';

const DTYPES = ['float64', 'float64', 'float32', 'int64', 'bool', 'str'] as const;

interface Case {
  dtype: (typeof DTYPES)[number];
  /** JSON text of the nested list. */
  data: string;
}

function randomCase(r: () => number): Case {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const dtype = pick(DTYPES);
  const ndim = 1 + Math.floor(r() * 3);
  const big = r() < 0.45;
  // past 1 000 elements about half the time, with axes both shorter and longer than 2×edgeitems
  const shape = Array.from({ length: ndim }, () => (big ? pick([2, 5, 7, 12, 40, 1100]) : 1 + Math.floor(r() * 8)));
  while (big && shape.reduce((a, b) => a * b, 1) <= 1000) shape[Math.floor(r() * ndim)]! *= 3;
  while (shape.reduce((a, b) => a * b, 1) > 60_000) shape[shape.indexOf(Math.max(...shape))]! = 7;
  const scale = 10 ** Math.floor(r() * 12 - 5);
  const cell = (): string => {
    if (dtype === 'bool') return r() < 0.5 ? 'true' : 'false';
    if (dtype === 'str') return JSON.stringify(pick(['a', 'paris', '', 'x y', 'é', 'long text here'].map((s) => s + (r() < 0.3 ? String(Math.floor(r() * 1000)) : ''))));
    if (dtype === 'int64') return String(Math.floor((r() - 0.5) * 10 ** Math.floor(r() * 10)));
    if (r() < 0.03) return pick(['NaN', 'Infinity', '-Infinity']);
    return String(Number(((r() - 0.5) * scale).toPrecision(1 + Math.floor(r() * 9))));
  };
  const nest = (axis: number): string => (axis === shape.length ? cell() : `[${Array.from({ length: shape[axis]! }, () => nest(axis + 1)).join(', ')}]`);
  return { dtype, data: nest(0) };
}

const NUMPY_STR = `
import json, sys
import numpy as np
out = []
for line in sys.stdin:
    c = json.loads(line)
    a = np.array(json.loads(c["data"]), dtype=c["dtype"])
    out.append([str(a), repr(a)])
print(json.dumps(out))
`;

describe.skipIf(sklearnSkipReason !== null)("ndarrayStr / ndarrayRepr are numpy 1.24's str() / repr()", () => {
  it('prints 300 random arrays, small and summarised, exactly as numpy does', () => {
    const r = prng(Number(process.env.NUMPY_REPR_SEED ?? 20261204));
    const cases = Array.from({ length: 300 }, () => randomCase(r));
    const py = spawnSync(SYSTEM_PYTHON, ['-c', NUMPY_STR], { input: cases.map((c) => JSON.stringify(c)).join('\n') + '\n', encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
    expect(py.status, py.stderr).toBe(0);
    const expected = JSON.parse(py.stdout) as [string, string][];
    const mismatches: string[] = [];
    cases.forEach((c, k) => {
      const a = ndarrayFrom(parsePyJson(c.data), c.dtype);
      const [str, repr] = expected[k]!;
      const got = [ndarrayStr(a), ndarrayRepr(a)];
      if (got[0] !== str) mismatches.push(`str of ${c.dtype} ${JSON.stringify(a.shape)}\n--- numpy\n${str}\n--- ours\n${got[0]}`);
      if (got[1] !== repr) mismatches.push(`repr of ${c.dtype} ${JSON.stringify(a.shape)}\n--- numpy\n${repr}\n--- ours\n${got[1]}`);
    });
    expect(mismatches.slice(0, 3).join('\n\n'), `${mismatches.length} of ${cases.length * 2} texts differ`).toBe('');
    // both kinds occur: summarised arrays ('...' on a row and as a row of its own) and whole ones
    expect(expected.filter(([s]) => / \.\.\. /.test(s)).length).toBeGreaterThan(60);
    expect(expected.filter(([s]) => /\n *\.\.\.\n/.test(s)).length).toBeGreaterThan(20);
    expect(expected.filter(([s]) => !s.includes('...')).length).toBeGreaterThan(100);
  });
});
