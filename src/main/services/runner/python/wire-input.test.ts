import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { Bytes, NaT, Timestamp } from '@shared/mlflow/payload/cells';
import { describeModelInput, type ModelIn } from '@shared/mlflow/payload/model-input';
import { PyFloat } from '@shared/mlflow/payload/py-json';
import { toWireInput, toWireValue } from './wire-input';

const col = (name: string, dtype: string, values: unknown[]) => ({ name, dtype, values: values as never[], path: (r: number) => `$[${r}].${name}` });

describe('toWireInput', () => {
  it('keeps what JSON cannot say (NaN, big ints, bytes, timestamps, NaT, int vs float) as tagged values', () => {
    const m: ModelIn = {
      kind: 'frame',
      nrows: 2,
      columns: [
        col('f', 'float64', [NaN, -Infinity]),
        col('i', 'int64', [9007199254740993n, 3]),
        col('o', 'object', [new Bytes(Uint8Array.from([104, 105])), new PyFloat(2)]),
        col('t', 'datetime64[ns]', [new Timestamp(1_000_000_001n), NaT]),
      ],
    };
    expect(toWireInput(m)).toEqual({
      kind: 'dataframe',
      nrows: 2,
      columns: [
        { name: 'f', dtype: 'float64', values: [{ $: 'float', v: 'NaN' }, { $: 'float', v: '-Infinity' }] },
        { name: 'i', dtype: 'int64', values: [{ $: 'int', v: '9007199254740993' }, 3] },
        { name: 'o', dtype: 'object', values: [{ $: 'bytes', v: 'aGk=' }, { $: 'float', v: 2 }] },
        { name: 't', dtype: 'datetime64[ns]', values: [{ $: 'ts', v: '1970-01-01T00:00:01.000000001' }, { $: 'nat' }] },
      ],
    });
  });

  it('reads the user-facing description (ModelReceives) back by dtype', () => {
    const m: ModelIn = {
      kind: 'frame',
      nrows: 1,
      columns: [col('f', 'float64', [NaN]), col('i', 'int64', [9007199254740993n]), col('t', 'datetime64[ns]', [NaT]), col('s', 'object', ['NaN'])],
    };
    const w = toWireInput(describeModelInput(m));
    expect(w).toEqual({
      kind: 'dataframe',
      nrows: 1,
      columns: [
        { name: 'f', dtype: 'float64', values: [{ $: 'float', v: 'NaN' }] },
        { name: 'i', dtype: 'int64', values: [{ $: 'int', v: '9007199254740993' }] },
        { name: 't', dtype: 'datetime64[ns]', values: [{ $: 'nat' }] },
        // a string column keeps the text "NaN" as text
        { name: 's', dtype: 'object', values: ['NaN'] },
      ],
    });
  });

  it('flattens a described ndarray row-major and keeps named tensors in order', () => {
    const m: ModelIn = {
      kind: 'dict',
      items: new Map<string, ModelIn>([
        ['b', { kind: 'ndarray', dtype: 'float32', shape: [2, 2], data: [1, 2, 3, NaN] }],
        ['a', { kind: 'ndarray', dtype: 'int64', shape: [1], data: [7] }],
      ]),
    };
    const expected = {
      kind: 'dict',
      items: [
        ['b', { kind: 'ndarray', dtype: 'float32', shape: [2, 2], data: [1, 2, 3, { $: 'float', v: 'NaN' }] }],
        ['a', { kind: 'ndarray', dtype: 'int64', shape: [1], data: [7] }],
      ],
    };
    expect(toWireInput(m)).toEqual(expected);
    expect(toWireInput(describeModelInput(m))).toEqual(expected);
  });

  it('refuses a described frame that lists only a preview of its rows', () => {
    const rows = 1500;
    const m: ModelIn = { kind: 'frame', nrows: rows, columns: [col('x', 'float64', Array.from({ length: rows }, (_, k) => k))] };
    expect(() => toWireInput(describeModelInput(m))).toThrow(AppError);
    expect(() => toWireInput(describeModelInput(m))).toThrow(/describes 1500 rows but lists only 1000/);
  });

  it('encodes params dicts (Map or plain object) as tagged dicts', () => {
    expect(toWireValue(new Map<string, unknown>([['k', 1], ['t', 0.5]]))).toEqual({ $: 'dict', v: [['k', 1], ['t', 0.5]] });
    expect(toWireValue({ top_k: 3n })).toEqual({ $: 'dict', v: [['top_k', 3]] });
  });
});
