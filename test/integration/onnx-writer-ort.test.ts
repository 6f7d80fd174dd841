import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectOnnx } from '../../src/main/services/model/onnx/inspect-onnx';
import { mapType, seqType, tensorType } from '../../src/main/services/model/onnx/onnx-types';
import { attr, floatTensor, writeOnnxModel, type OnnxModelSpec } from '../support/onnx-writer';

/** Models built with the writer must be real: onnxruntime-node loads and runs each one. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-onnx-ort-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function session(name: string, spec: OnnxModelSpec): Promise<{ path: string; s: ort.InferenceSession }> {
  const path = join(dir, name);
  await writeOnnxModel(path, spec);
  return { path, s: await ort.InferenceSession.create(path, { logSeverityLevel: 3 }) };
}

describe('models written by onnx-writer run in onnxruntime-node', () => {
  it('multi-input graph with Cast/Concat/Mul, int and tensor attributes', async () => {
    const { path, s } = await session('multi-input.onnx', {
      opsetImports: [{ domain: '', version: 17 }],
      graph: {
        name: 'multi',
        nodes: [
          { opType: 'Cast', inputs: ['b'], outputs: ['b_float'], attributes: [attr.int('to', 1)] },
          { opType: 'Concat', inputs: ['a', 'b_float'], outputs: ['ab'], attributes: [attr.int('axis', 1)] },
          { opType: 'Constant', inputs: [], outputs: ['scale'], attributes: [attr.tensor('value', floatTensor('scale', [3], [1, 10, 100]))] },
          { opType: 'Mul', inputs: ['ab', 'scale'], outputs: ['y'] },
        ],
        inputs: [
          { name: 'a', type: tensorType('float', ['batch', 2]) },
          { name: 'b', type: tensorType('int64', ['batch', 1]) },
        ],
        outputs: [{ name: 'y', type: tensorType('float', ['batch', 3]) }],
      },
    });
    expect(s.inputNames).toEqual(['a', 'b']);
    const out = await s.run({
      a: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [2, 2]),
      b: new ort.Tensor('int64', BigInt64Array.from([5n, 6n]), [2, 1]),
    });
    expect(Array.from(out.y.data as Float32Array)).toEqual([1, 20, 500, 3, 40, 600]);
    expect(out.y.dims).toEqual([2, 3]);
    const summary = await inspectOnnx(path, 'multi-input.onnx');
    expect(summary.inputs.map((v) => v.display)).toEqual(['tensor(float)[batch,2]', 'tensor(int64)[batch,1]']);
    await s.release();
  });

  it('classifier with ai.onnx.ml LinearClassifier + ZipMap (floats, ints and string attributes)', async () => {
    const { path, s } = await session('classifier.onnx', {
      opsetImports: [
        { domain: '', version: 17 },
        { domain: 'ai.onnx.ml', version: 3 },
      ],
      producerName: 'preflight-test',
      graph: {
        name: 'classifier',
        nodes: [
          {
            opType: 'LinearClassifier',
            domain: 'ai.onnx.ml',
            inputs: ['X'],
            outputs: ['label', 'probabilities'],
            attributes: [
              attr.ints('classlabels_ints', [0, 1]),
              attr.floats('coefficients', [-1, 0, 1, 0]),
              attr.floats('intercepts', [0, 0]),
              attr.int('multi_class', 0),
              attr.string('post_transform', 'SOFTMAX'),
            ],
          },
          { opType: 'ZipMap', domain: 'ai.onnx.ml', inputs: ['probabilities'], outputs: ['output_probability'], attributes: [attr.ints('classlabels_int64s', [0, 1])] },
        ],
        inputs: [{ name: 'X', type: tensorType('float', [null, 2]) }],
        outputs: [
          { name: 'label', type: tensorType('int64', [null]) },
          { name: 'probabilities', type: tensorType('float', [null, 2]) },
          { name: 'output_probability', type: seqType(mapType('int64', tensorType('float', null))) },
        ],
      },
    });
    // ZipMap's output cannot cross the binding (fixtures README point 1): fetch the tensors only.
    const out = await s.run({ X: new ort.Tensor('float32', Float32Array.from([2, 0, -2, 0]), [2, 2]) }, ['label', 'probabilities']);
    expect(Array.from(out.label.data as BigInt64Array)).toEqual([1n, 0n]);
    const p = out.probabilities.data as Float32Array;
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(-4)), 5);
    const summary = await inspectOnnx(path, 'classifier.onnx');
    expect(summary.outputs.map((v) => v.display)).toEqual(['tensor(int64)[?]', 'tensor(float)[?,2]', 'seq(map(int64,tensor(float)))']);
    expect(summary.opTypes).toEqual(['ai.onnx.ml:LinearClassifier', 'ai.onnx.ml:ZipMap']);
    await s.release();
  });

  it('string input through ai.onnx.ml LabelEncoder (strings attribute)', async () => {
    const { s } = await session('strings.onnx', {
      opsetImports: [
        { domain: '', version: 17 },
        { domain: 'ai.onnx.ml', version: 2 },
      ],
      graph: {
        name: 'strings',
        nodes: [
          {
            opType: 'LabelEncoder',
            domain: 'ai.onnx.ml',
            inputs: ['text'],
            outputs: ['code'],
            attributes: [attr.strings('keys_strings', ['low', 'high']), attr.ints('values_int64s', [1, 2]), attr.int('default_int64', -1)],
          },
        ],
        inputs: [{ name: 'text', type: tensorType('string', ['N']) }],
        outputs: [{ name: 'code', type: tensorType('int64', ['N']) }],
      },
    });
    const out = await s.run({ text: new ort.Tensor('string', ['high', 'low', 'other'], [3]) });
    expect(Array.from(out.code.data as BigInt64Array)).toEqual([2n, 1n, -1n]);
    await s.release();
  });

  it('weights in an external-data file beside the model', async () => {
    const weights = Float32Array.from([1, 2, 3, 4, 5, 6]);
    await writeFile(join(dir, 'weights.bin'), new Uint8Array(weights.buffer));
    const { path, s } = await session('external.onnx', {
      opsetImports: [{ domain: '', version: 17 }],
      graph: {
        name: 'external',
        nodes: [{ opType: 'MatMul', inputs: ['x', 'W'], outputs: ['y'] }],
        initializers: [{ name: 'W', elemType: 'float', dims: [3, 2], data: { kind: 'external', location: 'weights.bin', offset: 0, length: 24 } }],
        inputs: [{ name: 'x', type: tensorType('float', ['N', 3]) }],
        outputs: [{ name: 'y', type: tensorType('float', ['N', 2]) }],
      },
    });
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, 1, 1]), [1, 3]) });
    expect(Array.from(out.y.data as Float32Array)).toEqual([9, 12]);
    const summary = await inspectOnnx(path, 'external.onnx');
    expect(summary.externalData).toEqual([{ location: 'weights.bin', bytes: 24, exists: true }]);
    expect(summary.initializerBytes).toBe(0);
    await s.release();
  });
});
