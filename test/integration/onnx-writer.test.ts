import { mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../support/paths';
import { inspectOnnx } from '../../src/main/services/model/onnx/inspect-onnx';
import { mapType, optionalType, seqType, tensorType } from '../../src/main/services/model/onnx/onnx-types';
import { attr, encodeOnnxModel, floatTensor, int64Tensor, stringTensor, writeOnnxModel, type OnnxModelSpec } from '../support/onnx-writer';
import { ProtoStreamReader } from '../../src/main/services/model/onnx/protobuf-stream-reader';
import { pyYamlQuotedEntry } from '../../scripts/sample-model';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-onnx-writer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const everyType: OnnxModelSpec = {
  irVersion: 9,
  opsetImports: [
    { domain: '', version: 17 },
    { domain: 'ai.onnx.ml', version: 3 },
  ],
  producerName: 'preflight-test',
  producerVersion: '1.2.3',
  domain: 'org.example',
  modelVersion: 42,
  docString: 'héllo ✓',
  metadataProps: [{ key: 'k', value: 'v' }],
  graph: {
    name: 'g',
    nodes: [
      {
        opType: 'Constant',
        inputs: [],
        outputs: ['c'],
        attributes: [attr.tensor('value', floatTensor('c', [2], [1, 2])), attr.ints('ignored', [-1, 2 ** 40]), attr.floats('f', [0.5]), attr.strings('s', ['a'])],
      },
      { opType: 'ZipMap', domain: 'ai.onnx.ml', inputs: ['x'], outputs: ['z'], attributes: [attr.ints('classlabels_int64s', [0, 1])] },
    ],
    initializers: [floatTensor('w', [3, 4], new Array(12).fill(0.25)), int64Tensor('i', [2], [-5n, 7]), stringTensor('s', [2], ['ab', 'c'])],
    inputs: [
      { name: 'x', type: tensorType('float', ['N', null, 3]) },
      { name: 'w', type: tensorType('float', [3, 4]) },
      { name: 'opt', type: optionalType(seqType(tensorType('int64', [5]))), docString: 'an optional input' },
      { name: 'm', type: mapType('string', tensorType('double', null)) },
      { name: 'sp', type: { kind: 'sparse_tensor', elemType: 'bfloat16', shape: [10, 10] } },
    ],
    outputs: [
      { name: 'z', type: seqType(mapType('int64', tensorType('float', null))) },
      { name: 'u', type: { kind: 'unknown' } },
      { name: 'scalar', type: tensorType('uint4', []) },
    ],
  },
};

describe('onnx-writer → inspectOnnx round trip', () => {
  it('writes what the inspector reads back, field for field', async () => {
    const path = join(dir, 'every-type.onnx');
    const size = await writeOnnxModel(path, everyType);
    expect((await stat(path)).size).toBe(size);
    // The in-memory encoder and the streaming file writer produce the same bytes.
    expect(new Uint8Array(await readFile(path))).toEqual(encodeOnnxModel(everyType));

    const s = await inspectOnnx(path, 'every-type.onnx');
    expect(s).toMatchObject({
      irVersion: 9,
      producerName: 'preflight-test',
      producerVersion: '1.2.3',
      domain: 'org.example',
      modelVersion: 42,
      docString: 'héllo ✓',
      graphName: 'g',
      opsetImports: [
        { domain: 'ai.onnx', version: 17 },
        { domain: 'ai.onnx.ml', version: 3 },
      ],
      metadataProps: [{ key: 'k', value: 'v' }],
      nodeCount: 2,
      opTypes: ['Constant', 'ai.onnx.ml:ZipMap'],
      initializerCount: 3,
      // 12 floats raw + packed int64 varints (-5 → 10 bytes, 7 → 1) + two strings.
      initializerBytes: 48 + 11 + 3,
    });
    // 'w' is both an input and an initializer (IR 3 style): not something a caller feeds.
    expect(s.inputs.map((v) => [v.name, v.display, v.docString])).toEqual([
      ['x', 'tensor(float)[N,?,3]', null],
      ['opt', 'optional(seq(tensor(int64)[5]))', 'an optional input'],
      ['m', 'map(string,tensor(double))', null],
      ['sp', 'sparse_tensor(bfloat16)[10,10]', null],
    ]);
    expect(s.outputs.map((v) => v.display)).toEqual(['seq(map(int64,tensor(float)))', 'unknown', 'tensor(uint4)[]']);
    expect(s.inputs.map((v) => v.type)).toEqual(everyType.graph.inputs.filter((v) => v.name !== 'w').map((v) => v.type));
  });

  it('streams a large raw_data field chunk by chunk, and inspection reads almost none of it', async () => {
    const chunk = new Uint8Array(1 << 20).fill(7);
    const total = 64 * chunk.length;
    let produced = 0;
    const spec: OnnxModelSpec = {
      opsetImports: [{ domain: '', version: 17 }],
      graph: {
        name: 'big',
        nodes: [{ opType: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
        initializers: [
          {
            name: 'w',
            elemType: 'float',
            dims: [total / 4 / 256, 256],
            data: {
              kind: 'streamed',
              source: {
                byteLength: total,
                *chunks() {
                  for (let i = 0; i < 64; i++) {
                    produced += chunk.length;
                    yield chunk;
                  }
                },
              },
            },
          },
        ],
        inputs: [{ name: 'x', type: tensorType('float', ['N', total / 4 / 256]) }],
        outputs: [{ name: 'y', type: tensorType('float', ['N', 256]) }],
      },
    };
    expect(() => encodeOnnxModel(spec)).toThrow(/streamed data/);
    const path = join(dir, 'big.onnx');
    const size = await writeOnnxModel(path, spec);
    expect(produced).toBe(total);
    expect(size).toBeGreaterThan(total);
    let stats = { reads: 0, bytesRead: 0, fileSize: 0 };
    const s = await inspectOnnx(path, 'big.onnx', { onReadStats: (st) => (stats = st) });
    expect(s.initializerBytes).toBe(total);
    expect(s.inputs[0].display).toBe(`tensor(float)[N,${total / 4 / 256}]`);
    expect(stats.fileSize).toBe(size);
    // Two windows: the header before the weights and the inputs/outputs after them.
    expect(stats.reads).toBeLessThanOrEqual(3);
    expect(stats.bytesRead).toBeLessThan(256 * 1024);
  });

  it('refuses a streamed source that yields a different length than it declared, leaving no file behind', async () => {
    const spec = {
      ...everyType,
      graph: {
        ...everyType.graph,
        initializers: [{ name: 'w', elemType: 'float' as const, dims: [4], data: { kind: 'streamed' as const, source: { byteLength: 16, chunks: () => [new Uint8Array(8)] } } }],
      },
    };
    const path = join(dir, 'short.onnx');
    await expect(writeOnnxModel(path, spec)).rejects.toThrow('produced 8 bytes, expected 16');
    await expect(stat(path)).rejects.toThrow();
  });
});

describe('ProtoStreamReader varints', () => {
  it('decodes negative int64 dims written as 10-byte two’s complement', async () => {
    const path = join(dir, 'neg.bin');
    // dim_value -1 as the ONNX writer (and protobuf) encode it: ff ff ff ff ff ff ff ff ff 01.
    const bytes = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x96, 0x01]);
    const fh = await open(path, 'w+');
    await fh.write(bytes);
    const r = new ProtoStreamReader(fh, bytes.length);
    await r.fill(20);
    expect(r.readVarint(bytes.length)).toBe(-1);
    expect(r.readVarint(bytes.length)).toBe(150);
    await fh.close();
  });
});

describe('pyYamlQuotedEntry', () => {
  it('folds a signature string exactly as PyYAML did in a real MLflow 2.7 MLmodel', async () => {
    const mlmodel = await readFile(fixture('mlflow-models/azureml-examples-sklearn-diabetes/MLmodel'), 'utf8');
    const start = mlmodel.indexOf('  inputs: ');
    const end = mlmodel.indexOf('\n  outputs: ');
    const written = mlmodel.slice(start, end);
    const columns = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];
    const json = '[' + columns.map((c) => `{"name": "${c}", "type": "double"}`).join(', ') + ']';
    expect(pyYamlQuotedEntry('inputs', json, 2)).toBe(written);
  });
});
