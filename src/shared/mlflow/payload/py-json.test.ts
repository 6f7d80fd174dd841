import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dumpPyJson, parsePyJson, PyFloat, PyJsonError, pyFloatRepr, type PyValue } from './py-json';

describe('parsePyJson keeps Python json semantics (payloads.md §3 JSON body)', () => {
  it.each([
    ['1', 1],
    ['-0', 0],
    ['12345678901234567890', 12345678901234567890n],
    ['2.5', 2.5],
    ['"a\\u00e9"', 'aé'],
    ['NaN', NaN],
    ['-Infinity', -Infinity],
  ])('%s decodes like json.loads', (text, want) => {
    expect(parsePyJson(text)).toEqual(want);
  });

  it('refuses a leading BOM in a str as json.loads does, only when asked (bytes are read as utf-8-sig)', () => {
    const bom = '\ufeff{"a": 1}';
    expect(() => parsePyJson(bom, { strInput: true })).toThrow('Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)');
    expect(() => parsePyJson('\ufeff\ufeff[]', { strInput: true })).toThrow(/^Unexpected UTF-8 BOM .*\(char 0\)$/);
    expect(() => parsePyJson(bom)).toThrow('Expecting value: line 1 column 1 (char 0)');
  });

  it('tells the float 1.0 from the int 1, as Python does', () => {
    expect(parsePyJson('1.0')).toBeInstanceOf(PyFloat);
    expect(parsePyJson('1e3')).toEqual(new PyFloat(1000));
    expect(parsePyJson('1')).toBe(1);
  });

  it('keeps object key order, integer-like keys included, and last duplicate value', () => {
    const v = parsePyJson('{"b": 1, "1": 2, "b": 3}') as Map<string, unknown>;
    expect([...v.keys()]).toEqual(['b', '1']);
    expect(v.get('b')).toBe(3);
    expect((parsePyJson('{"__proto__": 1}') as Map<string, unknown>).get('__proto__')).toBe(1);
  });

  it.each([
    ['', 'Expecting value: line 1 column 1 (char 0)'],
    ['{"a" 1}', "Expecting ':' delimiter: line 1 column 6 (char 5)"],
    ['[1,]', 'Expecting value: line 1 column 4 (char 3)'],
    ['{"a":1,}', 'Expecting property name enclosed in double quotes: line 1 column 8 (char 7)'],
    ['[1 2]', "Expecting ',' delimiter: line 1 column 4 (char 3)"],
    ['{} x', 'Extra data: line 1 column 4 (char 3)'],
    ['"abc', 'Unterminated string starting at: line 1 column 1 (char 0)'],
    ['"a\nb"', 'Invalid control character at: line 1 column 3 (char 2)'],
    ['\n\n  {', 'Expecting property name enclosed in double quotes: line 3 column 4 (char 5)'],
    ['"😀" x', 'Extra data: line 1 column 5 (char 4)'],
  ])('%j fails with CPython text', (text, message) => {
    expect(() => parsePyJson(text)).toThrow(message);
  });

  it('the real invalid fixture text fails with a structured error (requests/invalid)', () => {
    expect(() => parsePyJson('{"input_data": {["a"]}}')).toThrow(PyJsonError);
  });

  it('deep nesting gives RecursionError, not a JS stack overflow', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const err = (() => { try { parsePyJson(deep); } catch (e) { return e; } })() as PyJsonError;
    expect(err).toBeInstanceOf(PyJsonError);
    expect(err.pyType).toBe('RecursionError');
    expect(parsePyJson(deep, { maxDepth: Infinity })).toBeInstanceOf(Array);
  });

  it('more than 4300 digits is refused like CPython (ValueError), without quadratic BigInt parsing', () => {
    const t0 = performance.now();
    expect(() => parsePyJson('9'.repeat(1_000_000))).toThrow(/Exceeds the limit \(4300 digits\)/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('sibling lists of different lengths and kinds stay apart (lists are filled in a reused buffer per depth)', () => {
    const text = '[[1, 2, 3], [4], ["a", 5], [6.5, 7], [], [[8, [9]], [10]], [1.0]]';
    expect(toPlainList(parsePyJson(text))).toEqual([[1, 2, 3], [4], ['a', 5], [6.5, 7], [], [[8, [9]], [10]], [1]]);
    const v = parsePyJson(text) as PyValue[];
    expect(v[6]).toEqual([new PyFloat(1)]);
    expect(v[0]).not.toBe(v[1]);
  });

  it('Python float repr for messages and bodies', () => {
    expect([2, 1e-5, 1e16, -0, 0.1, 1.5e300].map(pyFloatRepr)).toEqual(['2.0', '1e-05', '1e+16', '-0.0', '0.1', '1.5e+300']);
    expect(dumpPyJson(parsePyJson('{"a": [1, 1.0, NaN, 12345678901234567890]}'))).toBe('{"a": [1, 1.0, NaN, 12345678901234567890]}');
  });
});

const toPlainList = (x: PyValue): unknown => (x instanceof PyFloat ? x.value : Array.isArray(x) ? x.map(toPlainList) : x);

describe('parsePyJson properties', () => {
  it('agrees with JSON.parse on every valid JSON text (values, not int/float tags)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        const plain = JSON.parse(text, (_k, x) => x);
        const ours = parsePyJson(text);
        const norm = (x: unknown): unknown => (x instanceof PyFloat ? x.value : typeof x === 'bigint' ? Number(x) : x instanceof Map ? Object.fromEntries([...x].map(([k, y]) => [k, norm(y)])) : Array.isArray(x) ? x.map(norm) : x);
        expect(norm(ours)).toEqual(plain);
      }),
      { numRuns: 300 },
    );
  });

  it('random text never throws anything but PyJsonError', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        try {
          parsePyJson(s);
        } catch (e) {
          expect(e).toBeInstanceOf(PyJsonError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('dump → parse round-trips, int/float tags included', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const once = parsePyJson(JSON.stringify(v));
        expect(parsePyJson(dumpPyJson(once))).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  it('scales linearly: 10× the body takes well under 30× the time', () => {
    const body = (n: number): string => '{"data": [' + Array.from({ length: n }, (_, k) => `[${k}.5, "s${k}", {"k": [${k}]}]`).join(',') + ']}';
    const time = (s: string): number => {
      const t0 = performance.now();
      for (let k = 0; k < 3; k++) parsePyJson(s);
      return performance.now() - t0;
    };
    const small = body(20_000), big = body(200_000);
    time(small);
    expect(time(big) / Math.max(time(small), 1)).toBeLessThan(30);
  });
});
