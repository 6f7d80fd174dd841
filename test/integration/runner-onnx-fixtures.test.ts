/**
 * The ONNX engine against real third-party models: every fixture under ../shared/fixtures/onnx that ships
 * `inputs.json` + `expected_outputs.json` (onnx backend tests), and the 2018 sklearn-onnx ZipMap
 * classifiers compared with what onnxruntime-python returned for them. The cases onnxruntime-node
 * cannot run (fixtures README "What onnxruntime-node 1.30 does") must fail with a specific error.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ErrorCodes } from '../../src/shared/errors';
import type { ModelIn } from '../../src/shared/mlflow/payload/model-input';
import { OnnxEngine } from '../../src/main/services/runner/onnx/onnx-engine';
import { predictionToPlain, type PlainValue } from '../../src/main/services/runner/onnx/outputs';
import { RunnerErrorCodes } from '../../src/main/services/runner/onnx/runner-errors';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { inspectOnnx } from '../../src/main/services/model/onnx/inspect-onnx';
import { fixture } from '../support/paths';

interface JsonTensor {
  kind: string;
  dtype: string;
  dims: number[];
  data?: (number | string | boolean)[];
}

const hasEnUsLocale = ((): boolean => {
  try {
    return /^en_US\.utf-?8$/im.test(execFileSync('locale', ['-a'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
})();

/** What onnxruntime-node 1.30 cannot do, per the fixtures README, and the error the engine must give instead. */
const KNOWN_FAILURES: Record<string, { code: string; message: RegExp; reason: string }> = {
  test_cast_FLOAT_to_BFLOAT16: { code: RunnerErrorCodes.MODEL_LOAD, message: /bfloat16/, reason: 'bfloat16 output: session creation fails' },
  test_cast_FLOAT_to_FLOAT8E4M3FN: { code: RunnerErrorCodes.MODEL_LOAD, message: /float8/, reason: 'float8 output: session creation fails' },
  test_cast_FLOAT_to_INT4: { code: RunnerErrorCodes.RUNTIME_CRASHED, message: /crashed.*int4/s, reason: 'int4 output aborts the process' },
  test_cast_FLOAT_to_UINT4: { code: RunnerErrorCodes.RUNTIME_CRASHED, message: /crashed.*uint4/s, reason: 'uint4 output aborts the process' },
  test_split_to_sequence_1: { code: RunnerErrorCodes.UNSUPPORTED_MODEL, message: /output 'seq' is seq\(tensor\(float\)\)/, reason: 'sequence output' },
  ...Object.fromEntries(
    ['test_identity_opt', 'test_identity_sequence', 'test_optional_get_element_sequence', 'test_optional_has_element_empty_optional_input',
      'test_optional_has_element_optional_input', 'test_sequence_insert_at_back', 'test_sequence_map_add_2_sequences', 'test_sequence_map_identity_1_sequence'].map(
      (n) => [n, { code: RunnerErrorCodes.UNSUPPORTED_MODEL, message: /can only feed tensors/, reason: 'non-tensor input' }],
    ),
  ),
  ...(hasEnUsLocale
    ? {}
    : Object.fromEntries(
        ['test_strnormalizer_export_monday_casesensintive_lower', 'test_strnorm_model_monday_casesensintive_lower'].map((n) => [
          n,
          { code: ErrorCodes.ENVIRONMENT, message: /StringNormalizer.*en_US\.UTF-8/s, reason: 'no en_US.UTF-8 locale on this machine' },
        ]),
      )),
};

const NUMPY_DTYPE: Record<string, string> = { string: 'object' };

function jsonNumber(v: number | string | boolean): number | bigint | boolean | string {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v;
}

function toModelIn(t: JsonTensor): ModelIn {
  const dtype = NUMPY_DTYPE[t.dtype] ?? t.dtype;
  const data = (t.data ?? []).map((v) => (t.dtype === 'int64' || t.dtype === 'uint64' ? BigInt(v as string) : t.dtype === 'string' ? v : jsonNumber(v)));
  return { kind: 'ndarray', dtype, shape: t.dims, data: data as never };
}

function nested(flat: PlainValue[], dims: number[]): PlainValue {
  if (dims.length === 0) return flat[0]!;
  if (dims.length === 1) return flat;
  const step = dims.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: dims[0]! }, (_, k) => nested(flat.slice(k * step, (k + 1) * step), dims.slice(1)));
}

function expectClose(actual: PlainValue, expected: PlainValue, where: string): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${where}: expected a list`).toBe(true);
    expect((actual as PlainValue[]).length, `${where}: length`).toBe(expected.length);
    expected.forEach((e, k) => expectClose((actual as PlainValue[])[k]!, e, `${where}[${k}]`));
    return;
  }
  if (typeof expected === 'object' && expected !== null && typeof expected !== 'bigint') {
    expect(Object.keys(actual as object).sort(), `${where}: keys`).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(expected)) expectClose((actual as Record<string, PlainValue>)[k]!, expected[k]!, `${where}.${k}`);
    return;
  }
  if (typeof expected === 'number') {
    const a = Number(actual);
    if (Number.isNaN(expected)) return void expect(Number.isNaN(a), `${where}: NaN`).toBe(true);
    if (!Number.isFinite(expected)) return void expect(a, where).toBe(expected);
    expect(Math.abs(a - expected) <= 1e-5 + 1e-3 * Math.abs(expected), `${where}: ${a} vs ${expected}`).toBe(true);
    return;
  }
  expect(actual, where).toEqual(expected);
}

function expectedPlain(t: JsonTensor): PlainValue {
  const flat = (t.data ?? []).map((v) => (t.dtype === 'int64' || t.dtype === 'uint64' ? BigInt(v as string) : jsonNumber(v))) as PlainValue[];
  return nested(flat, t.dims);
}

let dir: string;
let engine: OnnxEngine;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-runner-'));
  engine = new OnnxEngine({ workerPath: await bundleOnnxWorker(join(dir, 'onnx-worker.js')), timeoutMs: 30_000 });
});

afterAll(() => {
  engine?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const backendSets = ['onnx-backend-node', 'onnx-backend-simple'].flatMap((group) =>
  readdirSync(fixture('onnx', group))
    .filter((name) => existsSync(fixture('onnx', group, name, 'test_data_set_0', 'expected_outputs.json')))
    .map((name) => ({ group, name })),
);

describe('onnx backend test data, fed as named tensors (dict input → dict output)', () => {
  it('finds the 62 fixture sets', () => {
    expect(backendSets.length).toBe(62);
  });

  it.each(backendSets)('$group/$name', async ({ group, name }) => {
    const base = fixture('onnx', group, name);
    const inputs = JSON.parse(readFileSync(join(base, 'test_data_set_0', 'inputs.json'), 'utf8')) as Record<string, JsonTensor>;
    const expected = JSON.parse(readFileSync(join(base, 'test_data_set_0', 'expected_outputs.json'), 'utf8')) as Record<string, JsonTensor>;
    const items = new Map<string, ModelIn>();
    // Non-tensor inputs have no ModelIn form; a placeholder array lets the engine say why it cannot feed them.
    for (const [k, v] of Object.entries(inputs)) items.set(k, v.kind === 'tensor' ? toModelIn(v) : { kind: 'ndarray', dtype: 'float32', shape: [0], data: [] });
    const run = engine.predict({ onnxPath: join(base, 'model.onnx'), displayName: `${name}/model.onnx` }, { kind: 'dict', items });
    const known = KNOWN_FAILURES[name];
    if (known) {
      const err = await run.then(() => null, (e: unknown) => e);
      expect(err, known.reason).toBeInstanceOf(AppError);
      expect((err as AppError).code, `${known.reason}: ${(err as Error).message}`).toBe(known.code);
      expect((err as AppError).message).toMatch(known.message);
      expect((err as AppError).message).toContain(`${name}/model.onnx`);
      return;
    }
    const plain = predictionToPlain(await run) as Record<string, PlainValue>;
    expect(Object.keys(plain)).toEqual(Object.keys(expected));
    for (const [k, t] of Object.entries(expected)) expectClose(plain[k]!, expectedPlain(t), `${name}.${k}`);
  });

  it('the runtime crashes above were contained: the engine still runs models', async () => {
    const base = fixture('onnx', 'onnx-backend-node', 'test_sigmoid_example');
    const p = predictionToPlain(await engine.predict({ onnxPath: join(base, 'model.onnx') }, { kind: 'ndarray', dtype: 'float32', shape: [3], data: [-1, 0, 1] }));
    expectClose((p as Record<string, PlainValue>).y!, [0.2689414, 0.5, 0.7310586], 'y');
    expect(engine.workerStarts).toBeGreaterThanOrEqual(3);
  });
});

const zipmap2018 = ['SklearnBinRandomForestClassifier', 'SklearnKNeighborsClassifierMulti', 'SklearnLogitisticRegressionMulti', 'SklearnMclRandomForestClassifier'];

describe('sklearn-onnx 2018 ZipMap classifiers match onnxruntime-python', () => {
  it.each(zipmap2018)('%s: labels and probability maps, row by row as the declared [1, n] input requires', async (name) => {
    const base = fixture('onnx', 'sklearn-onnx-2018-tests', name);
    const onnxPath = join(base, 'model.onnx');
    const input = (JSON.parse(readFileSync(join(base, 'input.json'), 'utf8')) as Record<string, JsonTensor>).input!;
    const expected = JSON.parse(readFileSync(join(base, 'expected_onnxruntime_python_2018.json'), 'utf8')) as Record<string, JsonTensor & { elements?: Record<string, number>[] }>;
    const info = await engine.describe({ onnxPath });
    const zip = info.outputs.find((o) => o.handling === 'zipmap')!;
    expect(zip.type).toMatch(/^seq\(map\(/);
    const summary = await inspectOnnx(onnxPath, name);
    const declared = summary.inputs[0]!.type.kind === 'tensor' ? summary.inputs[0]!.type.shape : null;
    const width = input.dims[1]!;
    const rows = declared?.[0] === 1 ? input.dims[0]! : 1;
    const batch = rows === 1 ? input.dims[0]! : 1;
    const labelName = info.outputs.find((o) => o.handling === 'tensor')!.name;
    const labels = expectedPlain(expected[labelName]!) as PlainValue[];
    const maps = expected[zip.name]!.elements!;
    for (let r = 0; r < rows; r++) {
      const data = input.data!.slice(r * batch * width, (r + 1) * batch * width) as number[];
      const p = predictionToPlain(await engine.predict({ onnxPath }, { kind: 'ndarray', dtype: 'float32', shape: [batch, width], data })) as Record<string, PlainValue[]>;
      expectClose(p[labelName]!, labels.slice(r * batch, (r + 1) * batch), `${name} row ${r} ${labelName}`);
      expectClose(p[zip.name]!, maps.slice(r * batch, (r + 1) * batch) as PlainValue[], `${name} row ${r} ${zip.name}`);
    }
  });
});
