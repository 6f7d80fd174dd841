/**
 * The ONNX engine end to end: a real worker process (bundled with esbuild), real models (the bundled
 * diabetes sample, and multi-input / ZipMap / slow models written with onnx-writer), MLflow's feed and
 * output rules, session options, and containment of crashes, timeouts and cancels.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ErrorCodes } from '../../src/shared/errors';
import type { Frame } from '../../src/shared/mlflow/payload/frame';
import type { ModelIn } from '../../src/shared/mlflow/payload/model-input';
import { mapType, seqType, tensorType } from '../../src/main/services/model/onnx/onnx-types';
import { attr, writeOnnxModel } from '../support/onnx-writer';
import { OnnxEngine } from '../../src/main/services/runner/onnx/onnx-engine';
import { predictionToPlain, type OnnxPrediction, type PlainValue } from '../../src/main/services/runner/onnx/outputs';
import { RunnerErrorCodes } from '../../src/main/services/runner/onnx/runner-errors';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { fixture, sampleModelDir } from '../support/paths';
import { writeSlowModel } from '../support/onnx-models';

let dir: string;
let engine: OnnxEngine;
const sample = { onnxPath: join(sampleModelDir, 'model.onnx'), displayName: 'model.onnx' };

function frame(columns: Record<string, { dtype: string; values: unknown[] }>): Frame {
  const cols = Object.entries(columns).map(([name, c]) => ({ name, dtype: c.dtype, values: c.values as never[], path: (r: number) => `$[${r}].${name}` }));
  return { kind: 'frame', columns: cols, nrows: cols[0]?.values.length ?? 0 };
}

/** The sample model's input_example.json (split orient) as the DataFrame MLflow builds from it: 10 float64 columns. */
function sampleExample(): Frame {
  const ex = JSON.parse(readFileSync(join(sampleModelDir, 'input_example.json'), 'utf8')) as { columns: string[]; data: number[][] };
  return frame(Object.fromEntries(ex.columns.map((c, k) => [c, { dtype: 'float64', values: ex.data.map((row) => row[k]) }])));
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const plain = (p: OnnxPrediction): PlainValue => predictionToPlain(p);

// ---- models written from code ---------------------------------------------------------------------

/** sum = a + float(b): two 1-D inputs, so MLflow feeds one DataFrame column to each. */
async function writeMultiInput(path: string): Promise<void> {
  await writeOnnxModel(path, {
    opsetImports: [{ domain: '', version: 13 }],
    graph: {
      name: 'multi',
      nodes: [
        { opType: 'Cast', inputs: ['b'], outputs: ['bf'], attributes: [attr.int('to', 1)] },
        { opType: 'Add', inputs: ['a', 'bf'], outputs: ['sum'] },
      ],
      inputs: [
        { name: 'a', type: tensorType('float', ['N']) },
        { name: 'b', type: tensorType('int64', ['N']) },
      ],
      outputs: [{ name: 'sum', type: tensorType('float', ['N']) }],
    },
  });
}

const COEF = [1, -1, 0.5, 2, -0.5, 0.25]; // 3 classes × 2 features
const INTERCEPTS = [0.1, -0.2, 0.3];
const CLASSES = ['cat', 'dog', 'fox'];

/** A scikit-learn-style classifier as skl2onnx writes it: LinearClassifier → (label, scores → ZipMap). */
async function writeZipMapClassifier(path: string): Promise<void> {
  await writeOnnxModel(path, {
    opsetImports: [{ domain: '', version: 13 }, { domain: 'ai.onnx.ml', version: 1 }],
    graph: {
      name: 'clf',
      nodes: [
        {
          opType: 'LinearClassifier', domain: 'ai.onnx.ml', inputs: ['X'], outputs: ['output_label', 'scores'],
          attributes: [attr.floats('coefficients', COEF), attr.floats('intercepts', INTERCEPTS), attr.strings('classlabels_strings', CLASSES), attr.string('post_transform', 'SOFTMAX'), attr.int('multi_class', 0)],
        },
        { opType: 'ZipMap', domain: 'ai.onnx.ml', inputs: ['scores'], outputs: ['output_probability'], attributes: [attr.strings('classlabels_strings', CLASSES)] },
      ],
      inputs: [{ name: 'X', type: tensorType('float', [null, 2]) }],
      outputs: [
        { name: 'output_label', type: tensorType('string', [null]) },
        { name: 'output_probability', type: seqType(mapType('string', tensorType('float', null))) },
      ],
    },
  });
}

function softmaxRow(x: number[]): Record<string, number> {
  const z = CLASSES.map((_, c) => INTERCEPTS[c]! + x[0]! * COEF[c * 2]! + x[1]! * COEF[c * 2 + 1]!);
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return Object.fromEntries(CLASSES.map((c, k) => [c, e[k]! / s]));
}

function expectNear(actual: unknown, expected: number, tol = 1e-5): void {
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tol + 1e-3 * Math.abs(expected));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-runner-'));
  engine = new OnnxEngine({ workerPath: await bundleOnnxWorker(join(dir, 'onnx-worker.js')), timeoutMs: 30_000 });
  await Promise.all([writeMultiInput(join(dir, 'multi.onnx')), writeZipMapClassifier(join(dir, 'clf.onnx')), writeSlowModel(join(dir, 'slow.onnx'))]);
});

afterAll(() => {
  engine?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('the bundled diabetes sample model', () => {
  it('predicts 206.117 and 68.071 for its input example rows (DataFrame → df.values, float64 cast to float32)', async () => {
    const p = await engine.predict(sample, sampleExample());
    expect(p.kind).toBe('frame');
    const rows = plain(p) as { variable: number }[];
    expect(rows).toHaveLength(2);
    expectNear(rows[0]!.variable, 206.117, 1e-3);
    expectNear(rows[1]!.variable, 68.071, 1e-3);
    // The output stays float32 like onnxruntime's, for the servers to widen as Python does.
    expect(p.kind === 'frame' && p.columns[0]!.value.kind === 'ndarray' && p.columns[0]!.value.dtype).toBe('float32');
  });

  it('an ndarray input gives a dict of outputs with their full shape', async () => {
    const ex = sampleExample();
    const data = Array.from({ length: 20 }, (_, k) => ex.columns[k % 10]!.values[Math.floor(k / 10)]!);
    const p = await engine.predict(sample, { kind: 'ndarray', dtype: 'float64', shape: [2, 10], data });
    const out = plain(p) as { variable: number[][] };
    expect(out.variable).toHaveLength(2);
    expectNear(out.variable[1]![0], 68.071, 1e-3);
  });

  it('honours onnx_session_options from MLmodel (threads, execution mode, optimization level)', async () => {
    const sessionOptions = { intra_op_num_threads: 1, inter_op_num_threads: 1, execution_mode: 'PARALLEL', graph_optimization_level: 99 };
    const rows = plain(await engine.predict({ ...sample, sessionOptions }, sampleExample())) as { variable: number }[];
    expectNear(rows[0]!.variable, 206.117, 1e-3);
  });

  it('passes extra_session_config entries to onnxruntime (an ORT-format loader rejects an .onnx file)', async () => {
    const e = await failure(engine.predict({ ...sample, sessionOptions: { extra_session_config: { 'session.load_model_format': 'ORT' } } }, sampleExample()));
    expect(e.code).toBe(RunnerErrorCodes.MODEL_LOAD);
    expect(e.message).toMatch(/^model\.onnx: onnxruntime could not load the model/);
  });

  it('refuses an invalid graph_optimization_level the way MLflow fails to load it, naming the setting', async () => {
    const e = await failure(engine.predict({ ...sample, sessionOptions: { graph_optimization_level: 5 } }, sampleExample()));
    expect(e.code).toBe(RunnerErrorCodes.MODEL_LOAD);
    expect(e.message).toContain('onnx_session_options.graph_optimization_level');
    expect(e.message).toContain('99 (all)');
  });

  it('reports a missing model file as not found', async () => {
    const e = await failure(engine.predict({ onnxPath: join(dir, 'nope.onnx') }, sampleExample()));
    expect(e.code).toBe(ErrorCodes.NOT_FOUND);
    expect(e.message).toContain('nope.onnx');
  });
});

describe('a multi-input model (onnx-writer)', () => {
  const model = () => ({ onnxPath: join(dir, 'multi.onnx') });

  it('feeds each graph input the DataFrame column of the same name and returns a DataFrame', async () => {
    const p = await engine.predict(model(), frame({ b: { dtype: 'int64', values: [1, 2] }, a: { dtype: 'float64', values: [1.5, 2.25] } }));
    expect(plain(p)).toEqual([{ sum: 2.5 }, { sum: 4.25 }]);
  });

  it('refuses an ndarray with MLflow\'s exact MlflowException text', async () => {
    const e = await failure(engine.predict(model(), { kind: 'ndarray', dtype: 'float64', shape: [2], data: [1, 2] }));
    expect(e.code).toBe(RunnerErrorCodes.MODEL_RUN);
    expect(e.message).toBe(
      'Unable to map numpy array input to the expected model input. Numpy arrays can only be used as input for MLflow ONNX models that have a single input. ' +
        "This model requires 2 inputs. Please pass in data as either a dictionary or a DataFrame with the following tensors: ['a', 'b'].",
    );
    expect(e.details).toMatchObject({ python: { type: 'MlflowException', mlflowErrorCode: 'INTERNAL_ERROR' } });
  });

  it('a missing column is pandas\' KeyError, named in the message', async () => {
    const e = await failure(engine.predict(model(), frame({ a: { dtype: 'float64', values: [1] } })));
    expect(e.code).toBe(RunnerErrorCodes.MODEL_RUN);
    expect(e.message).toContain("no column 'b'");
    expect(e.details).toMatchObject({ python: { type: 'KeyError', message: "'b'" } });
  });

  it('casts nothing but float64 → float: a float64 column for the int64 input fails in onnxruntime, as in Python', async () => {
    const e = await failure(engine.predict(model(), frame({ a: { dtype: 'float64', values: [1] }, b: { dtype: 'float64', values: [2] } })));
    expect(e.code).toBe(RunnerErrorCodes.MODEL_RUN);
    expect(e.message).toMatch(/Unexpected input data type.*tensor\(double\).*tensor\(int64\)/);
    // onnxruntime names neither the input nor the cause; the message does, and says what to send
    expect(e.message).toContain("The model's input 'b' is tensor(int64) and the request's values for it arrive as tensor(double)");
    expect(e.details).toMatchObject({ python: { type: 'onnxruntime.capi.onnxruntime_pybind11_state.InvalidArgument', message: expect.stringMatching(/expected: \(tensor\(int64\)\)$/) } });
  });

  it('a dict of named tensors gives a dict of outputs; a missing name is onnxruntime\'s ValueError', async () => {
    const items = new Map<string, ModelIn>([
      ['a', { kind: 'ndarray', dtype: 'float32', shape: [3], data: [0.5, 1, 1.5] }],
      ['b', { kind: 'ndarray', dtype: 'int64', shape: [3], data: [1n, 2n, 3n] }],
    ]);
    expect(plain(await engine.predict(model(), { kind: 'dict', items }))).toEqual({ sum: [1.5, 3, 4.5] });
    const e = await failure(engine.predict(model(), { kind: 'dict', items: new Map([...items].slice(0, 1)) }));
    expect(e.details).toMatchObject({ python: { type: 'ValueError', message: "Required inputs (['b']) are missing from input feed (['a'])." } });
  });
});

describe('graph inputs named like Object.prototype members', () => {
  it('feeds inputs named __proto__ and constructor by name, through the worker process and onnxruntime', async () => {
    const path = join(dir, 'proto-names.onnx');
    await writeOnnxModel(path, {
      opsetImports: [{ domain: '', version: 13 }],
      graph: {
        name: 'proto',
        nodes: [{ opType: 'Sub', inputs: ['__proto__', 'constructor'], outputs: ['diff'] }],
        inputs: [
          { name: '__proto__', type: tensorType('float', ['N']) },
          { name: 'constructor', type: tensorType('float', ['N']) },
        ],
        outputs: [{ name: 'diff', type: tensorType('float', ['N']) }],
      },
    });
    // Sub is not symmetric: a swapped or dropped feed would change the answer (or fail the run).
    const columns = [
      { name: 'constructor', dtype: 'float64', values: [1, 10], path: (r: number) => `$[${r}].constructor` },
      { name: '__proto__', dtype: 'float64', values: [5, 2.5], path: (r: number) => `$[${r}].__proto__` },
    ];
    const p = await engine.predict({ onnxPath: path }, { kind: 'frame', columns, nrows: 2 } as Frame);
    expect(plain(p)).toEqual([{ diff: 4 }, { diff: -7.5 }]);
  });
});

describe('ZipMap outputs (onnxruntime-node cannot return seq(map)): rebuilt from the class scores', () => {
  const model = () => ({ onnxPath: join(dir, 'clf.onnx'), displayName: 'clf.onnx' });
  const X = [[0.5, 1.5], [-2, 0.25], [3, -1]];

  it('DataFrame input: one row per sample, the probability column holds label → probability dicts', async () => {
    const before = statSync(join(dir, 'clf.onnx'));
    const p = await engine.predict(model(), frame({ x0: { dtype: 'float64', values: X.map((r) => r[0]) }, x1: { dtype: 'float64', values: X.map((r) => r[1]) } }));
    const rows = plain(p) as { output_label: string; output_probability: Record<string, number> }[];
    expect(rows).toHaveLength(3);
    rows.forEach((row, k) => {
      const want = softmaxRow(X[k]!);
      expect(Object.keys(row.output_probability)).toEqual(CLASSES);
      for (const c of CLASSES) expectNear(row.output_probability[c], want[c]!);
      expect(row.output_label).toBe(CLASSES.reduce((best, c) => (want[c]! > want[best]! ? c : best)));
    });
    // The rewrite happens in memory: the user's model file is untouched.
    const after = statSync(join(dir, 'clf.onnx'));
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);
  });

  it('ndarray input: a dict with the label array and the list of dicts', async () => {
    const out = plain(await engine.predict(model(), { kind: 'ndarray', dtype: 'float32', shape: [1, 2], data: X[0]! })) as { output_label: string[]; output_probability: Record<string, number>[] };
    expect(out.output_label).toHaveLength(1);
    expect(out.output_probability).toHaveLength(1);
    expectNear(out.output_probability[0]!.dog, softmaxRow(X[0]!).dog!);
    const info = await engine.describe(model());
    expect(info.outputs).toEqual([
      { name: 'output_label', type: 'tensor(string)', handling: 'tensor' },
      { name: 'output_probability', type: 'seq(map(string,tensor(float)))', handling: 'zipmap' },
    ]);
  });

  it('int64 class labels (a real skl2onnx model) become integer-keyed maps', async () => {
    const out = plain(await engine.predict({ onnxPath: fixture('onnx', 'sklearn-onnx-docs-2022', 'logreg-iris', 'model.onnx') }, { kind: 'ndarray', dtype: 'float64', shape: [2, 2], data: [5.1, 3.5, 6.2, 2.9] })) as {
      output_label: bigint[];
      output_probability: Record<string, number>[];
    };
    expect(out.output_label).toEqual([0n, 1n]);
    expect(Object.keys(out.output_probability[0]!)).toEqual(['0', '1', '2']);
    const total = Object.values(out.output_probability[1]!).reduce((a, b) => a + b, 0);
    expectNear(total, 1);
  });
});

describe('containment: the app survives what kills the runtime', () => {
  it('an int4-output model crashes the worker; the error names the model, and the next call works', async () => {
    const starts = engine.workerStarts;
    const int4 = { onnxPath: fixture('onnx', 'onnx-backend-node', 'test_cast_FLOAT_to_INT4', 'model.onnx'), displayName: 'int4/model.onnx' };
    const e = await failure(engine.predict(int4, { kind: 'ndarray', dtype: 'float32', shape: [5, 5], data: new Array(25).fill(1.5) }));
    expect(e.code).toBe(RunnerErrorCodes.RUNTIME_CRASHED);
    expect(e.message).toMatch(/^int4\/model\.onnx: the ONNX runtime crashed while running this model/);
    expect(e.message).toContain("output 'output' is tensor(int4)");
    const rows = plain(await engine.predict(sample, sampleExample())) as { variable: number }[];
    expectNear(rows[0]!.variable, 206.117, 1e-3);
    expect(engine.workerStarts).toBe(starts + 1);
  });

  it('a call over its timeout is stopped (worker killed) and the next call works', async () => {
    const slow = { onnxPath: join(dir, 'slow.onnx'), displayName: 'slow.onnx' };
    const t0 = Date.now();
    const e = await failure(engine.predict(slow, { kind: 'ndarray', dtype: 'int64', shape: [2], data: [3000n, 3000n] }, { timeoutMs: 300 }));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(e.code).toBe(RunnerErrorCodes.TIMEOUT);
    expect(e.message).toMatch(/^slow\.onnx: the prediction did not finish within 300 ms/);
    const small = plain(await engine.predict(slow, { kind: 'ndarray', dtype: 'int64', shape: [2], data: [3n, 3n] })) as { y: number };
    expect(small.y).toBe(27);
  });

  it('an AbortSignal cancels a running call; the next call works', async () => {
    const slow = { onnxPath: join(dir, 'slow.onnx'), displayName: 'slow.onnx' };
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    const e = await failure(engine.predict(slow, { kind: 'ndarray', dtype: 'int64', shape: [2], data: [3000n, 3000n] }, { signal: ac.signal }));
    expect(e.code).toBe(ErrorCodes.CANCELLED);
    const rows = plain(await engine.predict(sample, sampleExample())) as { variable: number }[];
    expectNear(rows[1]!.variable, 68.071, 1e-3);
  });
});
