import { chmod, copyFile, mkdir, mkdtemp, open, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { OnnxSummarySchema } from '../../src/shared/mlflow/model-report';
import { inspectOnnx } from '../../src/main/services/model/onnx/inspect-onnx';
import { floatTensor, writeOnnxModel, type OnnxModelSpec, type OnnxTensorSpec } from '../support/onnx-writer';
import { seqType, tensorType } from '../../src/main/services/model/onnx/onnx-types';
import { fixture } from '../support/paths';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-onnx-errors-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const MNIST = fixture('onnx/onnxruntime-inference-examples/mnist/model.onnx');

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected inspectOnnx to fail');
}

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

async function put(name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/** A tiny valid model (Relu) whose graph can be given extra initializers or odd types. */
function tinyModel(extra: Partial<OnnxModelSpec['graph']> = {}): OnnxModelSpec {
  return {
    opsetImports: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny',
      nodes: [{ opType: 'Relu', inputs: ['x'], outputs: ['y'] }],
      inputs: [{ name: 'x', type: tensorType('float', ['N', 4]) }],
      outputs: [{ name: 'y', type: tensorType('float', ['N', 4]) }],
      ...extra,
    },
  };
}

describe('inspectOnnx on files that are not (whole) ONNX models', () => {
  it('rejects an empty file', async () => {
    const err = await failure(inspectOnnx(await put('empty.onnx', new Uint8Array()), 'empty.onnx'));
    expect(err.code).toBe('E_INVALID_FILE');
    expect(err.message).toBe(
      'empty.onnx: not a valid ONNX model — the file is empty (0 bytes), at byte 0. Check that the file is an ONNX model and was copied completely; if it was, re-export it (e.g. onnx.save_model) and try again.',
    );
  });

  it('rejects a real model cut in half, naming the offset', async () => {
    const bytes = await readFile(MNIST);
    const path = await put('half.onnx', bytes.subarray(0, bytes.length >> 1));
    const err = await failure(inspectOnnx(path, 'model.onnx'));
    expect(err.code).toBe('E_INVALID_FILE');
    expect(err.message).toMatch(/^model\.onnx: not a valid ONNX model — .*(truncated|past the end of the file).*, at byte \d+\. /);
  });

  it('gives a summary or a specific E_INVALID_FILE for every prefix of a real model, never anything else', async () => {
    const bytes = await readFile(fixture('onnx/onnxruntime-ruby/model/model.onnx'));
    const outcomes = new Set<string>();
    for (let n = 1; n < bytes.length; n++) {
      const path = await put(`prefix-${n}.onnx`, bytes.subarray(0, n));
      try {
        OnnxSummarySchema.parse(await inspectOnnx(path, 'model.onnx'));
        outcomes.add('ok');
      } catch (e) {
        expect(e, `prefix ${n}`).toBeInstanceOf(AppError);
        expect((e as AppError).code, `prefix ${n}: ${(e as Error).message}`).toBe('E_INVALID_FILE');
        outcomes.add('invalid');
      }
    }
    expect(outcomes.has('invalid')).toBe(true);
  });

  it('recognises a text file (an MLmodel) and says so', async () => {
    const err = await failure(inspectOnnx(fixture('mlflow-models/azureml-examples-sklearn-diabetes/MLmodel'), 'MLmodel'));
    expect(err.code).toBe('E_INVALID_FILE');
    expect(err.message).toMatch(/^MLmodel: not a valid ONNX model — .+, at byte \d+\. It looks like a text file/);
  });

  it('recognises a Python pickle (a real sklearn model.pkl; read as bytes, never unpickled)', async () => {
    const err = await failure(inspectOnnx(fixture('mlflow-models/azureml-examples-sklearn-diabetes/model.pkl'), 'model.pkl'));
    expect(err.code).toBe('E_INVALID_FILE');
    expect(err.message).toContain('It looks like a Python pickle');
  });

  it('recognises a Git LFS pointer', async () => {
    const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a2145d2b0e4c1b4f1c2f3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3\nsize 26454\n';
    const err = await failure(inspectOnnx(await put('lfs.onnx', pointer), 'model.onnx'));
    expect(err.message).toContain('git lfs pull');
  });

  it('rejects a length that runs past the end of the file', async () => {
    // ir_version 7, then a graph field claiming 65535 bytes in a 6-byte file.
    const err = await failure(inspectOnnx(await put('len.onnx', Uint8Array.from([0x08, 0x07, 0x3a, 0xff, 0xff, 0x03])), 'm.onnx'));
    expect(err.message).toBe(
      'm.onnx: not a valid ONNX model — a field of 65535 bytes runs past the end of the file (0 bytes left; the file is truncated), at byte 3. Check that the file is an ONNX model and was copied completely; if it was, re-export it (e.g. onnx.save_model) and try again.',
    );
    expect(err.details).toEqual({ file: 'm.onnx', offset: 3 });
  });

  it('rejects a known field with the wrong wire type', async () => {
    const err = await failure(inspectOnnx(await put('wire.onnx', Uint8Array.from([0x08, 0x07, 0x38, 0x01])), 'm.onnx'));
    expect(err.message).toContain('ModelProto.graph (field 7) has wire type varint, expected length-delimited, at byte 2');
  });

  it('rejects a protobuf that has no graph', async () => {
    const err = await failure(inspectOnnx(await put('nograph.onnx', Uint8Array.from([0x08, 0x07, 0x12, 0x01, 0x41])), 'm.onnx'));
    expect(err.message).toContain('it has no graph (ModelProto field 7), at byte 5');
  });

  it('refuses a 17 MiB header string instead of allocating it', async () => {
    const path = join(dir, 'bigstring.onnx');
    const fh = await open(path, 'w');
    // producer_name (field 2) with a 17 MiB length; the file is made that long sparsely so only the cap can stop it.
    const len = 17 * 1024 * 1024;
    const header = Uint8Array.from([0x08, 0x07, 0x12, ...varint(len)]);
    await fh.write(header, 0, header.length, 0);
    await fh.truncate(header.length + len);
    await fh.close();
    const err = await failure(inspectOnnx(path, 'm.onnx'));
    expect(err.message).toContain(`ModelProto.producer_name claims to be a ${len}-byte string, more than the 16 MiB a header field may hold`);
  });

  it('refuses types nested deeper than 64 levels', async () => {
    let type = tensorType('float', [1]);
    for (let i = 0; i < 100; i++) type = seqType(type);
    const path = join(dir, 'deep.onnx');
    await writeOnnxModel(path, tinyModel({ inputs: [{ name: 'x', type }] }));
    const err = await failure(inspectOnnx(path, 'deep.onnx'));
    expect(err.code).toBe('E_INVALID_FILE');
    expect(err.message).toContain('nests types more than 64 levels deep');
  });

  it('never throws anything but E_INVALID_FILE on random bytes or a real model with random bytes flipped', async () => {
    const mnist = await readFile(MNIST);
    let i = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 300 }),
          fc.array(fc.tuple(fc.nat(mnist.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map((flips) => {
            const copy = Uint8Array.from(mnist);
            for (const [at, value] of flips) copy[at] = value;
            return copy;
          }),
        ),
        async (bytes) => {
          const path = await put(`random-${i++}.onnx`, bytes);
          try {
            OnnxSummarySchema.parse(await inspectOnnx(path, 'model.onnx'));
          } catch (e) {
            expect(e).toBeInstanceOf(AppError);
            expect((e as AppError).code).toBe('E_INVALID_FILE');
          }
          await rm(path);
        },
      ),
      { numRuns: 300, seed: 20241125 },
    );
  });
});

describe('inspectOnnx file-system errors and cancellation', () => {
  it('reports a missing file as E_NOT_FOUND', async () => {
    const err = await failure(inspectOnnx(join(dir, 'nope.onnx'), 'nope.onnx'));
    expect(err.code).toBe('E_NOT_FOUND');
    expect(err.message).toBe('nope.onnx: file not found. Check the path, or that the model folder was copied completely.');
  });

  it('reports a folder as E_NOT_A_MODEL', async () => {
    await mkdir(join(dir, 'folder.onnx'));
    const err = await failure(inspectOnnx(join(dir, 'folder.onnx'), 'folder.onnx'));
    expect(err.code).toBe('E_NOT_A_MODEL');
  });

  it.skipIf(process.getuid?.() === 0)('reports a file without read permission as E_UNREADABLE', async () => {
    const path = join(dir, 'locked.onnx');
    await copyFile(MNIST, path);
    await chmod(path, 0o000);
    const err = await failure(inspectOnnx(path, 'locked.onnx'));
    expect(err.code).toBe('E_UNREADABLE');
    expect(err.message).toContain('permission denied');
  });

  it('honours an AbortSignal, before and during the read', async () => {
    const before = await failure(inspectOnnx(MNIST, 'model.onnx', { signal: AbortSignal.abort() }));
    expect(before.code).toBe('E_CANCELLED');

    // 20 000 nodes ≈ 300 kB: the parse needs several window refills, each of which checks the signal.
    const path = join(dir, 'many-nodes.onnx');
    const nodes = Array.from({ length: 20_000 }, (_, k) => ({ opType: 'Relu', inputs: [k === 0 ? 'x' : `t${k - 1}`], outputs: [k === 19_999 ? 'y' : `t${k}`] }));
    await writeOnnxModel(path, tinyModel({ nodes }));
    const whole = await inspectOnnx(path, 'many-nodes.onnx');
    expect(whole.nodeCount).toBe(20_000);
    const controller = new AbortController();
    const pending = inspectOnnx(path, 'many-nodes.onnx', { signal: controller.signal });
    controller.abort();
    expect((await failure(pending)).code).toBe('E_CANCELLED');
  });
});

describe('inspectOnnx external data', () => {
  const external = (name: string, location: string, length: number): OnnxTensorSpec => ({
    name,
    elemType: 'float',
    dims: [length / 4],
    data: { kind: 'external', location, offset: 0, length },
  });

  it('lists each distinct location with its size on disk, and missing ones', async () => {
    const folder = join(dir, 'ext-ok');
    await mkdir(join(folder, 'weights'), { recursive: true });
    await writeFile(join(folder, 'weights', 'w.bin'), new Uint8Array(4096));
    await writeOnnxModel(
      join(folder, 'model.onnx'),
      tinyModel({
        initializers: [external('w1', 'weights/w.bin', 2048), external('w2', 'weights/w.bin', 2048), external('w3', 'gone.bin', 16), floatTensor('b', [2], [1, 2])],
      }),
    );
    const s = await inspectOnnx(join(folder, 'model.onnx'), 'model.onnx');
    expect(s.externalData).toEqual([
      { location: 'weights/w.bin', bytes: 4096, exists: true },
      { location: 'gone.bin', bytes: null, exists: false },
    ]);
    expect(s.initializerCount).toBe(4);
    // Only the inline float tensor's 8 bytes are stored inside the file.
    expect(s.initializerBytes).toBe(8);
  });

  it.each([
    ['../outside.bin'],
    ['weights/../../outside.bin'],
    ['/etc/hostname'],
    ['C:\\weights\\w.bin'],
  ])('refuses a location that leaves the model folder: %s', async (location) => {
    const folder = await mkdtemp(join(dir, 'ext-bad-'));
    await writeOnnxModel(join(folder, 'model.onnx'), tinyModel({ initializers: [external('encoder.weight', location, 16)] }));
    const err = await failure(inspectOnnx(join(folder, 'model.onnx'), 'model.onnx'));
    expect(err.code).toBe('E_OUTSIDE_FOLDER');
    expect(err.message).toContain(`initializer 'encoder.weight' keeps its data in '${location}', which is outside the model's folder`);
  });

  it('refuses a symlink inside the folder that points outside it', async () => {
    const folder = join(dir, 'ext-link');
    await mkdir(folder);
    await writeFile(join(dir, 'elsewhere.bin'), new Uint8Array(16));
    await symlink(join(dir, 'elsewhere.bin'), join(folder, 'w.bin'));
    await writeOnnxModel(join(folder, 'model.onnx'), tinyModel({ initializers: [external('w', 'w.bin', 16)] }));
    const err = await failure(inspectOnnx(join(folder, 'model.onnx'), 'model.onnx'));
    expect(err.code).toBe('E_OUTSIDE_FOLDER');
  });
});
