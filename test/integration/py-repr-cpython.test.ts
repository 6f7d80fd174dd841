/**
 * `pyStrRepr` (every Python-quoted string in the servers' messages: "could not convert string to float: '…'")
 * against the servers' own CPython 3.11: which code points `repr()` escapes (every one of the 1 114 112), and the
 * whole repr of 3 000 random strings mixing quotes, backslashes, controls, separators, private-use, surrogates and
 * characters assigned after Python 3.11's Unicode 14.0 (which Python escapes and newer Unicode tables call letters).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pyStrRepr } from '@shared/mlflow/payload/py-repr';
import { prng } from '../support/corrupt-files';
import { SYSTEM_PYTHON, sklearnSkipReason } from '../support/sklearn-models';

const PY = `
import json, sys
cases = json.loads(sys.stdin.read())
escaped = [c for c in range(0x110000) if not chr(c).isprintable()]
print(json.dumps({"escaped": escaped, "reprs": [repr(s) for s in cases]}))
`;

describe.skipIf(sklearnSkipReason !== null)("pyStrRepr is CPython 3.11's repr(str)", () => {
  it('escapes exactly the code points Python escapes, and gives the same repr of random strings', () => {
    const r = prng(20261205);
    const pools: [number, number][] = [[0x20, 0x7f], [0, 0x100], [0x100, 0x3000], [0x2000, 0x2100], [0xd800, 0xe000], [0xe000, 0xf900], [0xfe00, 0x10000], [0x10000, 0x20000], [0x1f000, 0x1fb00], [0xe0000, 0xe0100]];
    const cases = Array.from({ length: 3000 }, () => {
      let s = '';
      for (let n = Math.floor(r() * 12); n > 0; n--) {
        const [a, b] = pools[Math.floor(r() * pools.length)]!;
        s += r() < 0.15 ? ["'", '"', '\\', ' ', '\n', '\t'][Math.floor(r() * 6)]! : String.fromCodePoint(a + Math.floor(r() * (b - a)));
      }
      return s;
    });
    const py = spawnSync(SYSTEM_PYTHON, ['-c', PY], { input: JSON.stringify(cases), encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    expect(py.status, py.stderr).toBe(0);
    const { escaped, reprs } = JSON.parse(py.stdout) as { escaped: number[]; reprs: string[] };
    const pyEscapes = new Set(escaped);
    const wrong: string[] = [];
    for (let c = 0; c < 0x110000; c++) {
      const ch = String.fromCodePoint(c);
      // a character repr prints as itself is printable; the backslash and the quote are escaped but printable
      const ours = c !== 0x5c && c !== 0x27 && pyStrRepr(ch) !== `'${ch}'` && pyStrRepr(ch) !== `"${ch}"`;
      if (ours !== pyEscapes.has(c)) wrong.push(`U+${c.toString(16)} ${ours ? 'escaped' : 'kept'}, Python ${pyEscapes.has(c) ? 'escapes' : 'keeps'} it`);
    }
    expect(wrong.slice(0, 5), `${wrong.length} code points differ`).toEqual([]);
    const diffs = cases.map((s, k) => [s, pyStrRepr(s), reprs[k]!] as const).filter(([, ours, theirs]) => ours !== theirs);
    expect(diffs.slice(0, 3).map(([s, ours, theirs]) => `${JSON.stringify(s)}: ${ours} ≠ ${theirs}`), `${diffs.length} of ${cases.length} differ`).toEqual([]);
  });
});
