import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxSummarySchema, type OnnxSummary } from '../../src/shared/mlflow/model-report';
import { inspectOnnx } from '../../src/main/services/model/onnx/inspect-onnx';
import { fixture, fixturesDir } from '../support/paths';

/** Every `model.onnx` under the shared fixtures, relative to the fixtures folder. */
function findModels(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findModels(full));
    else if (entry.name.endsWith('.onnx')) out.push(relative(fixturesDir, full));
  }
  return out.sort();
}

/** onnxruntime-node's element type names → ONNX's. */
const ORT_TO_ONNX: Record<string, string> = { float32: 'float', float64: 'double' };

/**
 * Why onnxruntime-node 1.30 may refuse to load a fixture (fixtures README "What onnxruntime-node 1.30
 * does"): bfloat16/float8 on the graph boundary, StringNormalizer without the en_US.UTF-8 locale,
 * onnxruntime-extensions custom ops. Anything else is a real failure of this test.
 */
const KNOWN_LOAD_FAILURES = [/Unsupported data type: 1[67]/, /Failed to construct locale/, /is not a registered function\/op/];

const models = findModels(fixture('onnx'));

describe('inspectOnnx over every ONNX fixture', () => {
  const summaries = new Map<string, OnnxSummary>();

  beforeAll(async () => {
    for (const rel of models) summaries.set(rel, await inspectOnnx(fixture(rel), 'model.onnx'));
  });

  it('finds the 114 fixture models and every summary matches the report schema', () => {
    expect(models).toHaveLength(114);
    for (const rel of models) {
      const s = summaries.get(rel)!;
      expect(() => OnnxSummarySchema.parse(s), rel).not.toThrow();
      expect(s.irVersion, rel).toBeGreaterThan(0);
      expect(s.outputs.length, rel).toBeGreaterThan(0);
      expect(s.nodeCount, rel).toBeGreaterThan(0);
    }
  });

  it('agrees with onnxruntime-node on input/output names, element types and shapes for every model it loads', async () => {
    let loaded = 0;
    const refused: string[] = [];
    for (const rel of models) {
      const s = summaries.get(rel)!;
      let session: ort.InferenceSession;
      try {
        // Severity 3 (errors only): the old fixtures make ORT print pages of harmless warnings.
        session = await ort.InferenceSession.create(fixture(rel), { logSeverityLevel: 3 });
      } catch (e) {
        const message = (e as Error).message;
        expect(KNOWN_LOAD_FAILURES.some((re) => re.test(message)), `${rel}: unexpected load failure: ${message}`).toBe(true);
        refused.push(rel);
        continue;
      }
      loaded += 1;
      expect(s.inputs.map((v) => v.name), rel).toEqual(session.inputNames);
      expect(s.outputs.map((v) => v.name), rel).toEqual(session.outputNames);
      const pairs = [
        ...session.inputMetadata.map((m, i) => [m, s.inputs[i]] as const),
        ...session.outputMetadata.map((m, i) => [m, s.outputs[i]] as const),
      ];
      for (const [meta, ours] of pairs) {
        const where = `${rel} ${meta.name}`;
        expect(meta.isTensor, where).toBe(ours.type.kind === 'tensor' || ours.type.kind === 'unknown');
        // ORT reports an untyped output as float32 with shape [] (README point 3): nothing to compare.
        if (!meta.isTensor || ours.type.kind !== 'tensor') continue;
        expect(ORT_TO_ONNX[meta.type] ?? meta.type, where).toBe(ours.type.elemType);
        // ORT: [] when the shape is unknown, '' for an anonymous dim; ours: null for both.
        const ortShape = meta.shape.map((d) => (d === '' ? null : d));
        expect(ortShape, where).toEqual(ours.type.shape ?? []);
      }
      await session.release();
    }
    // README: 107 load; the locale-dependent ones may load on machines that have en_US.UTF-8.
    expect(loaded).toBeGreaterThanOrEqual(107);
    expect(refused.length).toBeLessThanOrEqual(7);
  });

  const get = (rel: string): OnnxSummary => summaries.get(`onnx/${rel}/model.onnx`)!;

  it('reads MNIST (CNTK, IR 3) completely', () => {
    const s = get('onnxruntime-inference-examples/mnist');
    expect(s).toMatchObject({
      file: 'model.onnx',
      fileSize: 26454,
      irVersion: 3,
      producerName: 'CNTK',
      producerVersion: '2.5.1',
      opsetImports: [{ domain: 'ai.onnx', version: 8 }],
      opTypes: ['Add', 'Conv', 'MatMul', 'MaxPool', 'Relu', 'Reshape'],
      externalData: [],
    });
    expect(s.inputs.map((v) => v.display)).toEqual(['tensor(float)[1,1,28,28]']);
    expect(s.outputs.map((v) => [v.name, v.display])).toEqual([['Plus214_Output_0', 'tensor(float)[1,10]']]);
    // Most of the file is weights: counted, never read.
    expect(s.initializerCount).toBeGreaterThan(0);
    expect(s.initializerBytes).toBeGreaterThan(20_000);
  });

  it('shows ZipMap classifier outputs as seq(map(int64,tensor(float))) and ai.onnx.ml ops with their domain', () => {
    const s = get('sklearn-onnx-docs-2022/logreg-iris');
    expect(s.producerName).toBe('skl2onnx');
    expect(s.opsetImports).toEqual(expect.arrayContaining([{ domain: 'ai.onnx.ml', version: 1 }, { domain: 'ai.onnx', version: 9 }]));
    expect(s.inputs.map((v) => [v.name, v.display])).toEqual([['X', 'tensor(float)[?,2]']]);
    expect(s.outputs.map((v) => [v.name, v.display])).toEqual([
      ['output_label', 'tensor(int64)[?]'],
      ['output_probability', 'seq(map(int64,tensor(float)))'],
    ]);
    expect(s.outputs[1].type).toEqual({
      kind: 'sequence',
      elem: { kind: 'map', keyType: 'int64', value: { kind: 'tensor', elemType: 'float', shape: null } },
    });
    expect(s.opTypes).toEqual(['Cast', 'ai.onnx.ml:LinearClassifier', 'ai.onnx.ml:Normalizer', 'ai.onnx.ml:ZipMap']);
    expect(get('onnxruntime-ruby/zipmap-string').outputs[0].display).toBe('seq(map(string,tensor(float)))');
  });

  it('keeps symbolic dims as names and anonymous dims as null', () => {
    const s = get('onnxruntime-ruby/abs-free-dimensions');
    expect(s.inputs[0].type).toEqual({ kind: 'tensor', elemType: 'float', shape: ['Dim1', 'Dim2', 5] });
    expect(s.inputs[0].display).toBe('tensor(float)[Dim1,Dim2,5]');
    expect(get('onnx-backend-node/test_string_split_empty_tensor').outputs[0].display).toBe('tensor(string)[0,?]');
    expect(get('onnx-backend-node/test_size_example').outputs[0].display).toBe('tensor(int64)[]');
  });

  it('reads the models onnxruntime-node cannot even load (bfloat16, float8, int4, extensions ops)', () => {
    expect(get('onnx-backend-node/test_cast_FLOAT_to_BFLOAT16').outputs[0].display).toBe('tensor(bfloat16)[3,4]');
    expect(get('onnx-backend-node/test_cast_FLOAT_to_FLOAT8E4M3FN').outputs[0].display).toBe('tensor(float8e4m3fn)[3,5]');
    expect(get('onnx-backend-node/test_cast_FLOAT_to_INT4').outputs[0].display).toBe('tensor(int4)[5,5]');
    expect(get('onnx-backend-node/test_cast_FLOAT_to_UINT4').outputs[0].display).toBe('tensor(uint4)[5,5]');
    const whisper = get('onnxruntime-inference-examples/openai-whisper-azure-op');
    expect(whisper.inputs.map((v) => v.display)).toEqual(['tensor(string)[1]', 'tensor(uint8)[bytes]']);
    expect(whisper.opTypes).toEqual(['com.microsoft.extensions:OpenAIAudioToText']);
  });

  it('shows non-tensor graph inputs: optional, sequence and map', () => {
    expect(get('onnx-backend-node/test_identity_opt').inputs[0].display).toBe('optional(seq(tensor(float)[5]))');
    expect(get('onnx-backend-node/test_sequence_map_add_2_sequences').inputs[0].display).toBe('seq(tensor(float)[N])');
    expect(get('sklearn-onnx-2018-tests/SklearnDictVectorizer-OneOff-SkipDim1').inputs[0].display).toBe('map(string,tensor(float)[1])');
  });

  it('marks outputs without a type as unknown', () => {
    const s = get('sklearn-onnx-docs-2022/pipeline-titanic-numerical');
    expect(s.outputs).toEqual([{ name: 'variable1', type: { kind: 'unknown' }, display: 'unknown', docString: null }]);
  });

  it('reads every opset domain of a model that imports eight', () => {
    const s = get('onnxruntime-inference-examples/ultraface-rfb-320');
    expect(s.opsetImports.map((o) => o.domain)).toEqual(
      expect.arrayContaining(['ai.onnx', 'com.microsoft.nchwc', 'ai.onnx.ml', 'com.microsoft', 'ai.onnx.preview.training']),
    );
    expect(s.opsetImports).toHaveLength(8);
    expect(s.inputs.map((v) => v.display)).toEqual(['tensor(float)[1,3,240,320]']);
  });

  it('excludes initializers listed as graph inputs (IR 3 models)', () => {
    // MNIST's weights are initializers; only Input3 is something a caller feeds.
    expect(get('onnxruntime-inference-examples/mnist').inputs.map((v) => v.name)).toEqual(['Input3']);
  });

  it('reads metadata_props, model domain and graph name', () => {
    const s = get('onnxruntime-ruby/model');
    expect(s.metadataProps).toEqual([
      { key: 'hello', value: 'world' },
      { key: 'test', value: 'value' },
    ]);
    expect(s.graphName).toBe('test_sigmoid');
    expect(get('onnxruntime-inference-examples/mnist')).toMatchObject({ domain: 'ai.cntk', modelVersion: 1, graphName: 'CNTKGraph' });
    // Models without metadata get an empty list, not null.
    expect(get('sklearn-onnx-docs-2022/rf-iris').metadataProps).toEqual([]);
  });
});
