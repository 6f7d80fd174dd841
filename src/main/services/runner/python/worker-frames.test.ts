import { describe, expect, it } from 'vitest';
import { PyFloat } from '@shared/mlflow/payload/py-json';
import { attachBlob, encodeFrame, FrameReader, RawJson, type Frame } from './worker-frames';
import { F64Blob, toWireInput } from './wire-input';

function read(chunks: Buffer[]): { frames: Frame[]; garbage: string[] } {
  const frames: Frame[] = [];
  const garbage: string[] = [];
  const r = new FrameReader((f) => frames.push(f), (g) => garbage.push(g));
  for (const c of chunks) r.push(c);
  return { frames, garbage };
}

describe('worker frames (the Python worker wire, protocol 2)', () => {
  const body = '{"predictions": [1.5, NaN, "é"]}';
  const first = encodeFrame({ id: 1, ok: true, result: { mlflow: { ok: true, body: { $text: 0 } } }, texts: [Buffer.byteLength(body)] }, Buffer.from(body));
  const second = encodeFrame({ id: 2, ok: true, result: {} });
  const stream = Buffer.concat([first, second]);

  it('reassembles frames however the pipe splits them, and puts each body text back in its place', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const { frames, garbage } = read([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(garbage).toEqual([]);
      expect(frames.map((f) => (f.header as { id: number }).id)).toEqual([1, 2]);
      const h = frames[0]!.header as { result: unknown; texts: number[] };
      expect(attachBlob(h.result, h.texts, frames[0]!.blob)).toEqual({ mlflow: { ok: true, body } });
    }
    const oneByteAtATime = read([...stream].map((b) => Buffer.from([b])));
    expect(oneByteAtATime.frames).toHaveLength(2);
  });

  it('puts a prediction\'s raw doubles back after the texts, exact, from an offset that need not be aligned', () => {
    const text = 'é';
    const doubles = Buffer.from(new Float64Array([-0, NaN, 5e-324, 152.13348416289594]).buffer);
    const blob = Buffer.concat([Buffer.from(text), doubles]);
    const result = attachBlob({ azureml: { ok: true, body: { $text: 0 } }, f64: { $f64: Buffer.byteLength(text) } }, [Buffer.byteLength(text)], blob) as { azureml: unknown; f64: Float64Array };
    expect(result.azureml).toEqual({ ok: true, body: text });
    expect(result.f64).toBeInstanceOf(Float64Array);
    expect(Object.is(result.f64[0], -0)).toBe(true);
    expect([...result.f64].slice(1)).toEqual([NaN, 5e-324, 152.13348416289594]);
    // No texts at all (both bodies written from the doubles).
    expect([...(attachBlob({ f64: { $f64: 0 } }, undefined, doubles) as { f64: Float64Array }).f64]).toHaveLength(4);
  });

  it('reports bytes that are not a frame instead of waiting for a length that never comes', () => {
    const { frames, garbage } = read([Buffer.from('noise a model wrote to stdout\n'), second]);
    expect(frames).toEqual([]);
    expect(garbage[0]).toContain('noise a model wrote');
  });

  it('sends float64 cells as raw doubles (exact, -0 and non-finite included) and anything else as JSON', () => {
    const blob = new F64Blob();
    const cells = [-0, NaN, Infinity, 5e-324, new PyFloat(3), 0.1];
    const wire = toWireInput(
      {
        kind: 'frame',
        nrows: 6,
        columns: [
          { name: 'x', dtype: 'float64', values: cells, path: () => '' },
          { name: 'mixed', dtype: 'float64', values: [1, null, 2, 3, 4, 5], path: () => '' },
          { name: 'n', dtype: 'int64', values: [1, 2, 3, 4, 5, 6], path: () => '' },
        ],
      },
      blob,
    );
    expect(wire.kind === 'dataframe' && wire.columns.map((c) => c.values)).toEqual([{ $f64: 0 }, [1, null, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6]]);
    // Outside the blob (a float64 column with a None), -0.0 keeps its sign as text: JSON would write 0.
    const json = toWireInput({ kind: 'frame', nrows: 2, columns: [{ name: 'm', dtype: 'float64', values: [new PyFloat(-0), null], path: () => '' }] }, new F64Blob());
    expect(JSON.stringify(json.kind === 'dataframe' && json.columns[0]!.values)).toBe('[{"$":"float","v":"-0.0"},null]');
    const bytes = blob.toBuffer()!;
    const back = new Float64Array(bytes.buffer, bytes.byteOffset, 6);
    expect(Object.is(back[0], -0)).toBe(true);
    expect([...back].slice(1)).toEqual([NaN, Infinity, 5e-324, 3, 0.1]);
  });
});

describe('a header value given as RawJson (encoded off the main thread)', () => {
  it('is written as its bytes in its key\'s place: the same frame as the value stringified here', () => {
    const input = { kind: 'value', value: ['é', { $: 'float', v: '-0.0' }, null] };
    const raw = new RawJson(Buffer.from(JSON.stringify(input), 'utf8'));
    const blob = Buffer.from([1, 2, 3]);
    const plain = { op: 'predict', input, params: null, skipped: undefined, model_dir: '/m"x', id: 3 };
    expect(encodeFrame({ ...plain, input: raw }, blob).equals(encodeFrame(plain, blob))).toBe(true);
    expect(encodeFrame({ input: raw }).equals(encodeFrame({ input }))).toBe(true);
    expect(encodeFrame({ a: undefined, input: raw, b: () => 1 }).equals(encodeFrame({ input }))).toBe(true);
  });
});
