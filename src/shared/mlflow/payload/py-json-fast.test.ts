/**
 * The parser's fast paths (decimal.ts for float literals, py-json-native.ts for whole bodies through
 * JSON.parse) must give exactly what the general path gives: the same PyValue — int vs float, PyFloat
 * for integral floats, -0.0, big ints, key order — and the same errors.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePyJson, PyFloat, PyJsonError, type PyValue } from './py-json';
import { parseViaNative } from './py-json-native';

/** An exact, order-keeping description of a PyValue (toEqual does not tell 0 from -0 everywhere). */
function canon(v: PyValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return `big:${v}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Object.is(v, -0) ? 'num:-0' : `num:${v}`;
  if (v instanceof PyFloat) return Object.is(v.value, -0) ? 'pyfloat:-0' : `pyfloat:${v.value}`;
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  return `{${[...v].map(([k, x]) => `${JSON.stringify(k)}:${canon(x)}`).join(',')}}`;
}

type Outcome = { ok: true; value: string } | { ok: false; error: string };
function outcome(parse: () => PyValue): Outcome {
  try {
    return { ok: true, value: canon(parse()) };
  } catch (e) {
    if (!(e instanceof PyJsonError)) throw e;
    return { ok: false, error: `${e.pyType}: ${e.message}` };
  }
}
const general = (text: string): Outcome => outcome(() => parsePyJson(text, { native: false }));
const fast = (text: string): Outcome => outcome(() => parsePyJson(text));

const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

/** Float literals of every kind the wire carries: long mantissas, far exponents, subnormals, integral floats. */
const floatLiteral: fc.Arbitrary<string> = fc.oneof(
  // 1–25 significant digits, any decimal point position, optional exponent up to ±400
  fc
    .tuple(fc.boolean(), fc.integer({ min: 1, max: 9 }), digits(0, 24), fc.nat(), fc.option(fc.integer({ min: -400, max: 400 })), fc.constantFrom('e', 'E', 'e+'))
    .map(([neg, lead, rest, at, exp, e]) => {
      const m = `${lead}${rest}`;
      const p = at % (m.length + 1);
      let lit = p === m.length ? m : p === 0 ? `0.${m}` : `${m.slice(0, p)}.${m.slice(p)}`;
      if (exp !== null) lit += exp < 0 ? `${e === 'e+' ? 'e' : e}${exp}` : `${e}${exp}`;
      else if (!lit.includes('.')) lit += '.0';
      return (neg ? '-' : '') + lit;
    }),
  // shortest reprs and 17-digit forms of any double, subnormals included
  fc.double({ noNaN: true, noDefaultInfinity: true }).chain((x) =>
    fc.constantFrom(String(x), x.toPrecision(17), x.toExponential(16), x.toExponential(19)).map((s) => (/[.e]/.test(s) ? s : `${s}.0`).replace('e+', 'e')),
  ),
  fc.constantFrom('0.0', '-0.0', '1.0', '1e3', '1E+3', '-1e0', '0e0', '0.000', '1e-400', '-1e400', '4.9e-324', '2.4703282292062327e-324', '2.2250738585072011e-308', '1.7976931348623157e308', '1.7976931348623158e308', '9007199254740993.0', '9007199254740992.5', '0.1', '0.30000000000000004', '123456789012345678.9', '1e00022', '1e-000022'),
);
const intLiteral: fc.Arbitrary<string> = fc.oneof(fc.integer().map(String), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String), fc.constantFrom('0', '-0', '9007199254740993'));
const literal = fc.oneof({ weight: 4, arbitrary: floatLiteral }, { weight: 1, arbitrary: intLiteral }, { weight: 1, arbitrary: fc.constantFrom('NaN', 'Infinity', '-Infinity') });

describe('float literals: the decimal fast path equals the engine conversion', () => {
  it('every literal gives Number(literal), as a PyFloat exactly when integral (-0.0 included)', () => {
    fc.assert(
      fc.property(floatLiteral, (lit) => {
        const want = Number(lit);
        const got = parsePyJson(lit, { native: false });
        if (Number.isInteger(want) || Object.is(want, -0)) {
          expect(got).toBeInstanceOf(PyFloat);
          expect(Object.is((got as PyFloat).value, want)).toBe(true);
        } else expect(Object.is(got, want)).toBe(true);
        // the same literal inside a body goes through JSON.parse: same value again
        expect(fast(`[${lit}]`)).toEqual(general(`[${lit}]`));
      }),
      { numRuns: 20_000 },
    );
  });

  it('literals within a few units of the midpoint between two doubles round like the engine (16–19 digits, both paths)', () => {
    // x in [2^54, 2^63): doubles are integers there and the midpoint to the next one is an exact integer.
    const bits = fc.bigInt({ min: 2n ** 54n, max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(bits, fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.boolean(), (raw, delta, k, divide) => {
        const x = BigInt(Number(raw));
        const next = BigInt(Number(x) + Number(x) * 2 ** -52);
        const mid = (x + next) / 2n;
        const scale = 10n ** BigInt(k);
        // multiplication path: q·10^k close to the midpoint; division path: the midpoint written with k fraction digits
        const q = mid / scale + BigInt(delta);
        const lit = divide ? `${mid + BigInt(delta)}`.replace(/(\d{1,})(\d{3})$/, '$1.$2') : `${q}e${k}`;
        const text = /[.e]/.test(lit) ? lit : `${lit}.0`;
        const got = parsePyJson(text, { native: false });
        expect(got instanceof PyFloat ? got.value : got).toBe(Number(text));
      }),
      { numRuns: 30_000 },
    );
  });

  it('near-ties between two doubles round like the engine (19 significant digits around midpoints)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), fc.integer({ min: 17, max: 21 }), (x, p) => {
        const next = x + x * 2 ** -53;
        const lit = (x + (next - x) / 2).toPrecision(p).replace('e+', 'e');
        const text = /[.e]/.test(lit) ? lit : `${lit}.0`;
        const got = parsePyJson(text, { native: false });
        expect(got instanceof PyFloat ? got.value : got).toBe(Number(text));
      }),
      { numRuns: 20_000 },
    );
  });
});

/** A JSON-ish body whose numbers are written as random literals, with keys that stress key order. */
const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('0', '1', '12', '007', '4294967294', '4294967295', '__proto__', 'data', 'columns'));
const ws = fc.constantFrom('', ' ', '\n', '\t ', '\r\n');
const body = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    fc.string({ maxLength: 5 }).map((s) => JSON.stringify(s)),
    fc.constantFrom('true', 'false', 'null', '"\\ud800"', '"\\u00e9\\n"'),
    fc.tuple(fc.array(tie('value'), { maxLength: 6 }), ws).map(([xs, w]) => `[${w}${xs.join(`${w},`)}]`),
    fc.tuple(fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }), ws).map(([kv, w]) => `{${kv.map(([k, v]) => `${JSON.stringify(k)}${w}:${v}`).join(',')}}`),
  ),
})).value;

describe('whole bodies: the JSON.parse path equals the general parser', () => {
  it('random nested bodies give the same PyValue or the same error', () => {
    fc.assert(
      fc.property(body, (text) => {
        expect(fast(text)).toEqual(general(text));
      }),
      { numRuns: 5_000 },
    );
  });

  it('damaged bodies (a character dropped, doubled or replaced) fail or parse alike', () => {
    fc.assert(
      fc.property(body, fc.nat(), fc.constantFrom('drop', 'double', ',', ']', '}', '"', '.', 'e', '-', '\u0001'), (text, at, how) => {
        const p = at % (text.length + 1);
        const damaged = how === 'drop' ? text.slice(0, p) + text.slice(p + 1) : how === 'double' ? text.slice(0, p) + text.slice(p, p + 1) + text.slice(p) : text.slice(0, p) + how + text.slice(p + 1);
        expect(fast(damaged)).toEqual(general(damaged));
      }),
      { numRuns: 5_000 },
    );
  });

  it('big split frames of floats take the JSON.parse path; ints, integer-like keys and NaN do not', () => {
    const rows = Array.from({ length: 400 }, (_, r) => `[${Array.from({ length: 10 }, (_, c) => ((r * 10 + c) * 0.0137 - 3.1).toPrecision(17)).join(', ')}]`);
    const floats = `{"input_data": {"columns": ["a","b","c","d","e","f","g","h","i","j"], "data": [${rows.join(', ')}]}}`;
    expect(parseViaNative(floats, 990)).toBeDefined();
    expect(canon(parsePyJson(floats))).toBe(canon(parsePyJson(floats, { native: false })));
    // an int literal far past the prefix probe: integral values seen, so the whole text is checked
    const lateInt = floats.replace(/\]\]\}\}$/, ', 1.0], [2, 3.5]]}}');
    expect(parseViaNative(lateInt, 990)).toBeUndefined();
    const parsed = parsePyJson(lateInt) as Map<string, Map<string, PyValue[][]>>;
    const data = parsed.get('input_data')!.get('data')!;
    expect(data.at(-2)!.at(-1)).toEqual(new PyFloat(1));
    expect(data.at(-1)![0]).toBe(2);
    // integral floats only: every one a PyFloat, still on the fast path
    const integralFloats = floats.replace(/\]\]\}\}$/, ', 1.0], [2.0, 3.5]]}}');
    expect(parseViaNative(integralFloats, 990)).toBeDefined();
    expect(canon(parsePyJson(integralFloats))).toBe(canon(parsePyJson(integralFloats, { native: false })));
    expect(parseViaNative('{"b": 1.5, "1": 2.5}', 990)).toBeUndefined();
    expect([...(parsePyJson('{"b": 1.5, "1": 2.5}') as Map<string, PyValue>).keys()]).toEqual(['b', '1']);
    expect(parseViaNative('[1.5, NaN]', 990)).toBeUndefined();
    expect(parseViaNative('[1]', 990)).toBeUndefined();
  });

  it('rows of floats (skipped without a convert call each) equal the general parser, depth limits included', () => {
    // Mostly non-integral float rows (the shortcut), sometimes an integral float, an int, a string or a
    // nested row in them (the general walk), wrapped 0–3 levels deep and parsed with small depth limits.
    const cell = fc.oneof({ weight: 8, arbitrary: floatLiteral }, { weight: 1, arbitrary: fc.constantFrom('1', '2.0', '"x"', '[0.5]', 'null', '-0.0') });
    const rows = fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 8 }).map((rs) => `[${rs.map((r) => `[${r.join(', ')}]`).join(', ')}]`);
    fc.assert(
      fc.property(rows, fc.nat({ max: 3 }), fc.option(fc.integer({ min: 1, max: 6 })), (data, wrap, maxDepth) => {
        const text = '{"d": '.repeat(wrap) + data + '}'.repeat(wrap);
        const options = maxDepth === null ? {} : { maxDepth };
        expect(outcome(() => parsePyJson(text, options))).toEqual(outcome(() => parsePyJson(text, { ...options, native: false })));
      }),
      { numRuns: 5_000 },
    );
  });

  it('nesting past the limit is still a RecursionError (JSON.parse would accept it)', () => {
    const deep = '['.repeat(995) + '1.5' + ']'.repeat(995);
    expect(fast(deep)).toEqual(general(deep));
    expect(fast(deep)).toMatchObject({ ok: false, error: expect.stringMatching(/^RecursionError/) });
    expect(fast('['.repeat(20) + '0.5' + ']'.repeat(20))).toEqual(general('['.repeat(20) + '0.5' + ']'.repeat(20)));
  });
});
