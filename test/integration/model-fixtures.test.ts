import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelService } from '../../src/main/services/model/model-service';
import { ModelReportSchema, type ModelReport, type Schema } from '../../src/shared/mlflow/model-report';
import { fixture } from '../support/paths';

/**
 * Every real MLflow model folder in ../shared/fixtures/mlflow-models is inspected and its parsed content
 * checked against what the files say (fixtures README table + the files themselves).
 */

const service = new ModelService();
const modelsDir = fixture('mlflow-models');

function schemaSummary(schema: Schema | null | undefined): string | null {
  if (!schema) return null;
  if (schema.kind === 'columns') return `columns ${schema.columns.length}: ${[...new Set(schema.columns.map((c) => c.display))].sort().join('|')}`;
  return `tensors ${schema.tensors.length}: ${schema.tensors.map((t) => `${t.name ?? '_'}:${t.dtype}[${t.shape.join(',')}]`).join(' ')}`;
}

function summary(r: ModelReport) {
  const m = r.mlmodel;
  return {
    flavors: m?.flavors.map((f) => f.name),
    loader: m?.loaderModule,
    python: m?.pythonVersion,
    mlflow: m?.mlflowVersion,
    inputs: schemaSummary(r.signature?.inputs),
    outputs: schemaSummary(r.signature?.outputs),
    params: r.signature?.params?.map((p) => `${p.name}:${p.display}=${JSON.stringify(p.default)}`) ?? null,
    examples: r.inputExamples.map((e) => `${e.file}:${e.form}`),
    env: r.environment.files.map((f) => f.file + (f.error ? '!' : '')),
    conflicts: r.environment.conflicts.map((c) => c.name),
    problems: r.problems.map((p) => `${p.file}:${p.code}`),
  };
}

// Missing env files are real: the azureml-assets registry folders hold only the MLmodel upstream.
const missingEnv2 = ['conda.yaml!', 'python_env.yaml!'];
const missingEnv2Problems = ['conda.yaml:E_NOT_FOUND', 'python_env.yaml:E_NOT_FOUND'];
const fullEnv = ['conda.yaml', 'python_env.yaml', 'requirements.txt'];

const expected: Record<string, ReturnType<typeof summary>> = {
  'azureml-assets-automl-ner': {
    flavors: ['python_function'], loader: 'azureml.automl.dnn.nlp', python: '3.8.16', mlflow: '2.4.2',
    inputs: 'tensors 1: _:object[-1]', outputs: 'tensors 1: _:object[-1]', params: null, examples: [], env: missingEnv2, conflicts: [],
    problems: ['input_example.json:E_NOT_FOUND', ...missingEnv2Problems],
  },
  'azureml-assets-automl-text-classification': {
    flavors: ['python_function'], loader: 'azureml.automl.dnn.nlp', python: '3.8.16', mlflow: '2.4.2',
    inputs: 'columns 1: string', outputs: 'tensors 1: _:str[-1]', params: null, examples: [], env: missingEnv2, conflicts: [],
    problems: ['input_example.json:E_NOT_FOUND', ...missingEnv2Problems],
  },
  'azureml-assets-deepset-roberta-base-squad2': {
    flavors: ['python_function', 'transformers'], loader: 'mlflow.transformers', python: '3.8.18', mlflow: '2.8.1',
    inputs: 'columns 2: string', outputs: 'columns 1: string', params: null, examples: [], env: missingEnv2, conflicts: [], problems: missingEnv2Problems,
  },
  'azureml-assets-distilbert-base-uncased-finetuned-sst-2-english': {
    flavors: ['python_function', 'transformers'], loader: 'mlflow.transformers', python: '3.8.18', mlflow: '2.8.1',
    inputs: 'columns 1: string', outputs: 'columns 1: string', params: null, examples: [], env: missingEnv2, conflicts: [], problems: missingEnv2Problems,
  },
  'azureml-assets-gpt2': {
    flavors: ['python_function', 'transformers'], loader: 'mlflow.transformers', python: '3.8.18', mlflow: '2.8.1',
    inputs: 'columns 1: string', outputs: 'columns 1: string',
    params: ['top_p:float=1', 'temperature:float=0.8', 'max_new_tokens:integer=50', 'do_sample:boolean=true', 'return_full_text:boolean=true'],
    examples: [], env: missingEnv2, conflicts: [], problems: missingEnv2Problems,
  },
  'azureml-assets-medimageinsight-onnx': {
    flavors: ['python_function'], loader: 'mlflow.pyfunc.model', python: '3.10.18', mlflow: '2.21.3',
    inputs: 'columns 2: binary|string', outputs: 'columns 3: string',
    params: ['image_standardization_jpeg_compression_ratio:integer=75', 'image_standardization_image_size:integer=512', 'get_scaling_factor:boolean=true'],
    examples: [], env: missingEnv2, conflicts: [], problems: missingEnv2Problems,
  },
  'azureml-assets-medsam2': {
    flavors: ['python_function'], loader: 'mlflow.pyfunc.model', python: '3.12.9', mlflow: '2.21.3',
    inputs: 'tensors 5: nii_image:object[1] bbox:float32[1,4] key_slice_idx:int32[1] dicom_window:float32[1,2] slice_offset:int32[1]',
    outputs: 'tensors 2: mask:int32[1,512,512] metadata:object[1]', params: null, examples: [], env: missingEnv2, conflicts: [], problems: missingEnv2Problems,
  },
  'azureml-assets-mlflow-2.0-pyfunc': {
    flavors: ['python_function'], loader: 'mlflow.pyfunc.model', python: '3.12', mlflow: '2.0.1',
    inputs: 'columns 3: double|long|string', outputs: 'columns 1: double', params: null,
    examples: ['input_example.json:dataframe-split'], env: fullEnv, conflicts: [], problems: [],
  },
  'azureml-assets-openai-whisper-large': {
    flavors: ['hftransformersv2', 'python_function'], loader: 'azureml.evaluate.mlflow.hftransformers', python: '3.8.18', mlflow: '2.8.1',
    inputs: null, outputs: null, params: null, examples: [], env: ['conda.yaml!'], conflicts: [], problems: ['conda.yaml:E_NOT_FOUND'],
  },
  'azureml-assets-phi-3-mini-4k-instruct': {
    flavors: ['hftransformersv2', 'python_function'], loader: 'azureml.evaluate.mlflow.hftransformers', python: '3.8.18', mlflow: '2.10.2',
    inputs: null, outputs: null, params: null, examples: [], env: ['conda.yaml!'], conflicts: [], problems: ['conda.yaml:E_NOT_FOUND'],
  },
  'azureml-assets-t5-small': {
    flavors: ['python_function', 'transformers'], loader: 'mlflow.transformers', python: '3.8.18', mlflow: '2.8.1',
    inputs: 'columns 1: string', outputs: 'columns 1: string', params: null, examples: [], env: missingEnv2, conflicts: [], problems: missingEnv2Problems,
  },
  'azureml-examples-autolog-nyc-taxi': {
    flavors: ['python_function', 'sklearn'], loader: 'mlflow.sklearn', python: '3.7.7', mlflow: null,
    inputs: 'columns 6: float|integer|string', outputs: 'columns 1: integer', params: null,
    examples: ['input_example.json:legacy-split'], env: ['conda.yml'], conflicts: [], problems: [],
  },
  'azureml-examples-clip-pyfunc': {
    flavors: ['python_function'], loader: 'mlflow.pyfunc.model', python: '3.8.17', mlflow: '2.3.1',
    inputs: 'columns 2: binary|string', outputs: 'columns 2: string', params: null, examples: [], env: fullEnv, conflicts: [], problems: [],
  },
  'azureml-examples-credit-defaults-no-signature': {
    flavors: ['python_function', 'sklearn'], loader: 'mlflow.sklearn', python: '3.8.15', mlflow: '1.26.1',
    inputs: null, outputs: null, params: null, examples: [], env: fullEnv, conflicts: [], problems: [],
  },
  'azureml-examples-heart-classifier': {
    flavors: ['python_function', 'sklearn'], loader: 'mlflow.sklearn', python: '3.8.5', mlflow: null,
    inputs: 'columns 13: double|long|string', outputs: 'columns 1: long', params: null, examples: [], env: ['conda.yaml', 'requirements.txt'],
    conflicts: ['xgboost'], problems: [],
  },
  'azureml-examples-hftransformersv2-beit': {
    flavors: ['hftransformersv2', 'python_function'], loader: 'azureml.evaluate.mlflow.hftransformers', python: '3.8.16', mlflow: '2.3.1',
    inputs: 'columns 1: binary', outputs: 'columns 2: string', params: null, examples: [], env: ['conda.yaml!'], conflicts: [], problems: ['conda.yaml:E_NOT_FOUND'],
  },
  'azureml-examples-iris-1x-input-example': {
    flavors: ['python_function', 'sklearn'], loader: 'mlflow.sklearn', python: '3.7.11', mlflow: null,
    inputs: 'columns 4: double', outputs: 'tensors 1: _:object[-1]', params: null,
    examples: ['input_example.json:legacy-split'], env: ['conda.yaml', 'requirements.txt'], conflicts: [], problems: [],
  },
  'azureml-examples-iris-no-signature': {
    flavors: ['python_function', 'sklearn'], loader: 'mlflow.sklearn', python: '3.6.8', mlflow: null,
    inputs: null, outputs: null, params: null, examples: [], env: ['conda.yaml!'], conflicts: [], problems: ['conda.yaml:E_NOT_FOUND'],
  },
  'azureml-examples-lightgbm-iris': {
    flavors: ['lightgbm', 'python_function'], loader: 'mlflow.lightgbm', python: '3.7.11', mlflow: null,
    inputs: 'columns 4: double', outputs: 'columns 3: double', params: null, examples: [], env: ['conda.yaml', 'requirements.txt'], conflicts: [], problems: [],
  },
  'azureml-examples-mmdetection-pyfunc': {
    flavors: ['python_function'], loader: 'mlflow.pyfunc.model', python: '3.8.16', mlflow: '2.3.1',
    inputs: 'columns 1: binary', outputs: 'columns 1: string', params: null, examples: [], env: missingEnv2, conflicts: [], problems: missingEnv2Problems,
  },
  'azureml-examples-ncd-sklearn-diabetes': {
    flavors: ['python_function', 'sklearn'], loader: 'mlflow.sklearn', python: '3.7.11', mlflow: null,
    inputs: 'columns 10: double', outputs: 'columns 1: double', params: null, examples: [], env: ['conda.yaml', 'requirements.txt'],
    conflicts: ['python', 'scikit-learn', 'cloudpickle', 'psutil'], problems: [],
  },
  'azureml-examples-nyc-taxi-regression': {
    flavors: ['python_function', 'sklearn'], loader: 'mlflow.sklearn', python: '3.8.14', mlflow: '1.28.0',
    inputs: 'columns 20: double|long', outputs: 'tensors 1: _:float64[-1]', params: null, examples: [], env: fullEnv, conflicts: [], problems: [],
  },
  'azureml-examples-openai-embeddings': {
    flavors: ['openai', 'python_function'], loader: 'mlflow.openai', python: '3.8.5', mlflow: '2.5.1.dev0',
    inputs: 'columns 1: string', outputs: 'tensors 1: _:float64[-1]', params: ['batch_size:long=16'], examples: [], env: fullEnv, conflicts: ['mlflow'], problems: [],
  },
  'azureml-examples-sklearn-diabetes': {
    flavors: ['python_function', 'sklearn'], loader: 'mlflow.sklearn', python: '3.12.3', mlflow: '2.7.1',
    inputs: 'columns 10: double', outputs: 'columns 1: double', params: null, examples: [], env: fullEnv, conflicts: [], problems: [],
  },
  'azureml-examples-using-mlflow-heart': {
    flavors: ['python_function', 'sklearn'], loader: 'mlflow.sklearn', python: '3.8.5', mlflow: '2.1.0',
    inputs: 'columns 13: double|long|string', outputs: 'columns 1: long', params: null, examples: [], env: fullEnv, conflicts: [], problems: [],
  },
  'azureml-examples-xgboost-nyc-taxi': {
    flavors: ['python_function', 'xgboost'], loader: 'mlflow.xgboost', python: '3.8.13', mlflow: '1.25.1',
    inputs: 'columns 21: double|long', outputs: null, params: null, examples: [], env: ['conda.yaml', 'requirements.txt'], conflicts: [], problems: [],
  },
  'mlflow-1x-sklearn-no-signature': {
    flavors: ['python_function', 'sklearn'], loader: 'mlflow.sklearn', python: '3.10.16', mlflow: '1.30.1',
    inputs: null, outputs: null, params: null, examples: [], env: fullEnv, conflicts: ['python'], problems: [],
  },
  'mlflow-2.12-langchain-chat': {
    flavors: ['langchain', 'python_function'], loader: 'mlflow.langchain', python: '3.10.12', mlflow: '2.12.2',
    inputs: 'columns 1: array<object{content: string, role: string}>', outputs: 'columns 1: string', params: null,
    examples: ['input_example.json:json-object'], env: fullEnv, conflicts: [], problems: [],
  },
  'mlflow-java-mleap-regression': {
    flavors: ['mleap'], loader: null, python: null, mlflow: null, inputs: null, outputs: null, params: null, examples: [], env: [], conflicts: [], problems: [],
  },
  'mlflow-java-mleap-text-classifier': {
    flavors: ['mleap'], loader: null, python: null, mlflow: null, inputs: null, outputs: null, params: null, examples: [], env: [], conflicts: [], problems: [],
  },
  'mlflow-java-mlmodel-variants': {
    flavors: ['mleap'], loader: null, python: null, mlflow: null, inputs: null, outputs: null, params: null, examples: [], env: [], conflicts: [], problems: [],
  },
  'mlserver-pytorch-no-signature': {
    flavors: ['python_function', 'pytorch'], loader: 'mlflow.pytorch', python: '3.7.11', mlflow: null,
    inputs: null, outputs: null, params: null, examples: [], env: ['conda.yaml', 'requirements.txt'], conflicts: [], problems: [],
  },
};

const reports = new Map<string, ModelReport>();
async function inspectFixture(name: string): Promise<ModelReport> {
  let r = reports.get(name);
  if (!r) {
    r = await service.inspect(join(modelsDir, name));
    reports.set(name, r);
  }
  return r;
}

describe('every MLflow fixture folder', () => {
  it('has an expectation here (a new fixture cannot be skipped silently)', async () => {
    const dirs = (await readdir(modelsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(dirs).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.keys(expected))('%s inspects to the documented content and a schema-valid report', async (name) => {
    const report = await inspectFixture(name);
    expect(summary(report)).toEqual(expected[name]);
    // What crosses IPC and `inspect --json` must satisfy the contract after a JSON round trip.
    expect(() => ModelReportSchema.parse(JSON.parse(JSON.stringify(report)))).not.toThrow();
    expect(report).toMatchObject({ schemaVersion: 1, kind: 'mlflow-folder', name, path: join(modelsDir, name) });
    expect(report.files.find((f) => f.path === 'MLmodel')).toMatchObject({ kind: 'file', outside: false });
    expect(report.totalBytes).toBe(report.files.filter((f) => f.kind === 'file').reduce((s, f) => s + f.size, 0));
  });
});

describe('fixture details', () => {
  it('mlflow-2.0-pyfunc: split example content, python 3.12 everywhere, unpinned mlflow from both env managers', async () => {
    const r = await inspectFixture('azureml-assets-mlflow-2.0-pyfunc');
    expect(r.signature?.inputs).toEqual({
      kind: 'columns',
      columns: [
        { name: 'a', type: { type: 'double' }, required: true, display: 'double' },
        { name: 'b', type: { type: 'long' }, required: true, display: 'long' },
        { name: 'c', type: { type: 'string' }, required: true, display: 'string' },
      ],
    });
    expect(r.mlmodel?.savedInputExampleInfo).toEqual({ artifact_path: 'input_example.json', pandas_orient: 'split', type: 'dataframe' });
    const example = r.inputExamples[0];
    expect(example).toMatchObject({ role: 'input_example', content: { columns: ['a', 'b', 'c'], data: [[3, 1, 'foo']] }, truncated: false, hasParams: false, error: null });
    // The file writes `3.0` (a float: pandas reads a float64 column a); the pretty text must keep that lexeme.
    expect(example.pretty).toBe('{\n  "columns": [\n    "a",\n    "b",\n    "c"\n  ],\n  "data": [\n    [\n      3.0,\n      1,\n      "foo"\n    ]\n  ]\n}');
    expect(r.environment.files.map((f) => [f.file, f.python])).toEqual([['conda.yaml', '3.12'], ['python_env.yaml', '3.12'], ['requirements.txt', null]]);
    const mlflow = r.environment.dependencies.filter((d) => d.name === 'mlflow');
    expect(mlflow.map((d) => [d.file, d.spec, d.installer, d.line])).toEqual([['conda.yaml', '', 'pip', 8], ['requirements.txt', '', 'pip', 1]]);
    expect(r.environment.dependencies.find((d) => d.name === 'python')).toMatchObject({ spec: '=3.12', installer: 'conda', channel: 'conda-forge, anaconda', line: 5 });
    expect(r.environment.dependencies.find((d) => d.name === 'setuptools')).toMatchObject({ spec: '==65.2.0', file: 'python_env.yaml', line: 4 });
  });

  it('openai-embeddings: conda.yaml mlflow==2.5.0 vs requirements.txt mlflow==2.7.0, legacy `dtype` params', async () => {
    const r = await inspectFixture('azureml-examples-openai-embeddings');
    expect(r.environment.conflicts).toEqual([
      { name: 'mlflow', entries: [{ file: 'conda.yaml', spec: '==2.5.0' }, { file: 'requirements.txt', spec: '==2.7.0' }], message: expect.stringContaining('conda.yaml asks for ==2.5.0, requirements.txt asks for ==2.7.0') },
    ]);
    expect(r.signature?.params).toEqual([{ name: 'batch_size', type: 'long', display: 'long', default: 16, shape: null }]);
    expect(r.signature?.raw.params).toBe('[{"name": "batch_size", "dtype": "long", "default": 16, "shape": null}]');
  });

  it('ncd-sklearn-diabetes: MLmodel python 3.7.11 vs conda.yaml 3.12, and three packages pinned differently', async () => {
    const r = await inspectFixture('azureml-examples-ncd-sklearn-diabetes');
    expect(r.environment.conflicts[0]).toMatchObject({ name: 'python', entries: [{ file: 'MLmodel', spec: '3.7.11' }, { file: 'conda.yaml', spec: '3.12' }] });
    expect(r.environment.conflicts.find((c) => c.name === 'scikit-learn')?.entries).toEqual([{ file: 'conda.yaml', spec: '==1.7.0' }, { file: 'requirements.txt', spec: '==1.2.2' }]);
  });

  it('heart-classifier: xgboost 1.3.3 (conda.yaml) vs 1.4.2 (requirements.txt)', async () => {
    const r = await inspectFixture('azureml-examples-heart-classifier');
    expect(r.environment.conflicts[0].entries).toEqual([{ file: 'conda.yaml', spec: '==1.3.3' }, { file: 'requirements.txt', spec: '==1.4.2' }]);
    expect(r.signature?.inputs?.kind === 'columns' && r.signature.inputs.columns.find((c) => c.name === 'thal')?.display).toBe('string');
  });

  it('mlflow-1x: MLmodel says python 3.10.16, conda.yaml and python_env.yaml say 3.8.12', async () => {
    const r = await inspectFixture('mlflow-1x-sklearn-no-signature');
    expect(r.environment.conflicts[0].entries).toEqual([
      { file: 'MLmodel', spec: '3.10.16' },
      { file: 'conda.yaml', spec: '3.8.12' },
      { file: 'python_env.yaml', spec: '3.8.12' },
    ]);
    expect(r.signature).toBeNull();
  });

  it('lightgbm-iris: integer output names become strings', async () => {
    const r = await inspectFixture('azureml-examples-lightgbm-iris');
    expect(r.signature?.outputs?.kind === 'columns' && r.signature.outputs.columns.map((c) => c.name)).toEqual(['0', '1', '2']);
    expect(r.mlmodel?.flavors[0]).toEqual({ name: 'lightgbm', settings: { data: 'model.lgb', lgb_version: '3.3.2', model_class: 'lightgbm.basic.Booster' } });
  });

  it('medimageinsight: optional columns, type-hint flag, size, metadata and raw keys', async () => {
    const r = await inspectFixture('azureml-assets-medimageinsight-onnx');
    const inputs = r.signature?.inputs;
    expect(inputs?.kind === 'columns' && inputs.columns.map((c) => [c.name, c.display, c.required])).toEqual([['image', 'binary', false], ['text', 'string', false]]);
    expect(r.mlmodel).toMatchObject({ isSignatureFromTypeHint: false, modelSizeBytes: 1234541360, metadata: { base_model_name: 'MedImageInsight-onnx' } });
    expect(r.mlmodel?.raw).toMatchObject({ prompts: null, type_hint_from_example: false });
    expect(r.mlmodel?.flavors[0].settings.artifacts).toEqual({ model_dir: { path: 'artifacts/checkpoints', uri: '/__w/1/s/checkpoints' } });
  });

  it('langchain-chat: databricks fields, json_object example, metadata/ folder summed', async () => {
    const r = await inspectFixture('mlflow-2.12-langchain-chat');
    expect(r.mlmodel).toMatchObject({ databricksRuntime: '14.3', modelSizeBytes: 6875, artifactPath: 'chain', runId: '84552a129bfb45faa87f5fb3f05eb9cf', utcTimeCreated: '2024-05-17 23:15:28.764394' });
    expect(r.inputExamples[0].content).toEqual({ messages: [{ role: 'user', content: 'What is Retrieval-augmented Generation?' }] });
    const metaDir = r.files.find((f) => f.path === 'metadata');
    const metaReq = r.files.find((f) => f.path === 'metadata/requirements.txt');
    expect(metaDir).toMatchObject({ kind: 'dir', size: metaReq?.size });
    expect(r.environment.dependencies.find((d) => d.name === 'mlflow' && d.file === 'requirements.txt')).toMatchObject({ spec: '==2.12.2', raw: 'mlflow[gateway]==2.12.2', line: 11 });
  });

  it('autolog-nyc-taxi: env named conda.yml by MLmodel, legacy 1.x split example with 5 rows', async () => {
    const r = await inspectFixture('azureml-examples-autolog-nyc-taxi');
    expect(r.environment.files).toEqual([{ file: 'conda.yml', kind: 'conda', python: '3.7.7', error: null }]);
    expect(r.environment.dependencies.find((d) => d.name === 'scikit-learn')).toMatchObject({ spec: '=0.22.2.post1', installer: 'conda', channel: 'defaults, conda-forge' });
    expect((r.inputExamples[0].content as { data: unknown[] }).data).toHaveLength(5);
  });

  it('pytorch: local-version pins and the data/ folder', async () => {
    const r = await inspectFixture('mlserver-pytorch-no-signature');
    expect(r.environment.dependencies.filter((d) => d.name === 'torch').map((d) => d.spec)).toEqual(['==1.9.0+cu102', '==1.9.0+cu102']);
    expect(r.files.filter((f) => f.path.startsWith('data')).map((f) => [f.path, f.kind, f.size])).toEqual([['data', 'dir', 28], ['data/pickle_module_info.txt', 'file', 28]]);
  });

  it('missing referenced files are named with what referenced them', async () => {
    const ner = await inspectFixture('azureml-assets-automl-ner');
    expect(ner.problems[0].message).toMatch(/^MLmodel saved_input_example_info\.artifact_path names input_example\.json, but that file is not in the folder/);
    const iris = await inspectFixture('azureml-examples-iris-no-signature');
    expect(iris.problems[0].message).toMatch(/^MLmodel flavors\.python_function\.env names conda\.yaml, but that file is not in the folder/);
    expect(iris.environment.files[0].error).toBe(iris.problems[0].message);
  });

  it('an MLmodel file path inspects its folder', async () => {
    const viaFile = await service.inspect(join(modelsDir, 'azureml-examples-sklearn-diabetes', 'MLmodel'));
    const viaDir = await inspectFixture('azureml-examples-sklearn-diabetes');
    expect(summary(viaFile)).toEqual(summary(viaDir));
    expect(viaFile.path).toBe(viaDir.path);
  });
});

describe('mlflow-java-mlmodel-variants', () => {
  const variants = join(modelsDir, 'mlflow-java-mlmodel-variants');

  it('MLmodel.with.databricks_runtime is the deliberately invalid one: E_INVALID_FILE at its line 10', async () => {
    await expect(service.inspect(join(variants, 'MLmodel.with.databricks_runtime'))).rejects.toMatchObject({
      code: 'E_INVALID_FILE',
      message: expect.stringMatching(/^MLmodel\.with\.databricks_runtime is not valid YAML at line 10, column 21: Nested mappings are not allowed in compact mappings\./),
    });
  });

  it('MLmodel.with.metadata: metadata values, 11 columns with spaces in names, a null output name, legacy input_example block', async () => {
    const r = await service.inspect(join(variants, 'MLmodel.with.metadata'));
    expect(r.mlmodel).toMatchObject({ file: 'MLmodel.with.metadata', mlflowVersion: '1.25.0', metadata: { metadata_key: 'metadata_value', stateful: true, accuracy: 0.978, other: null } });
    const inputs = r.signature?.inputs;
    expect(inputs?.kind === 'columns' && inputs.columns.map((c) => c.name)).toEqual([
      'fixed acidity', 'volatile acidity', 'citric acid', 'residual sugar', 'chlorides', 'free sulfur dioxide', 'total sulfur dioxide', 'density', 'pH', 'sulphates', 'alcohol',
    ]);
    expect(r.signature?.outputs).toEqual({ kind: 'columns', columns: [{ name: null, type: { type: 'double' }, required: true, display: 'double' }] });
    expect(r.problems).toEqual([
      { file: 'input_example.json', code: 'E_NOT_FOUND', message: expect.stringMatching(/^MLmodel input_example\.artifact_path names input_example\.json/) },
    ]);
  });

  it.each([
    ['MLmodel', { modelUuid: null, runId: null, utcTimeCreated: '2018-08-10 18:34:28.720095' }],
    ['MLmodel.no.mlflow_version', { mlflowVersion: null, modelUuid: '4ab08bf9d91e4535bc2719f9210840c3', runId: 'c228016dea284522882b657d91eeffa6', artifactPath: 'model' }],
    ['MLmodel.no.model_uuid', { modelUuid: null, utcTimeCreated: '2018-08-10 18:34:28.720095', artifactPath: 'model' }],
  ])('%s', async (file, fields) => {
    const r = await service.inspect(join(variants, file));
    expect(r.mlmodel).toMatchObject({ file, flavors: [{ name: 'mleap', settings: { mleap_version: '0.8.1', model_data: 'mleap/model' } }], ...fields });
  });
});

describe('ONNX fixtures', () => {
  const tmpRoots: string[] = [];
  afterAll(async () => {
    for (const d of tmpRoots) await rm(d, { recursive: true, force: true });
  });
  const mnist = fixture('onnx', 'onnxruntime-inference-examples', 'mnist', 'model.onnx');

  it('a bare .onnx file is an onnx-file report with its graph', async () => {
    const r = await service.inspect(mnist);
    expect(r).toMatchObject({ kind: 'onnx-file', name: 'model.onnx', mlmodel: null, signature: null, path: mnist });
    expect(r.files).toEqual([{ path: 'model.onnx', kind: 'file', size: r.totalBytes, target: null, outside: false }]);
    expect(r.onnx.map((o) => [o.file, o.inputs.map((i) => i.name)])).toEqual([['model.onnx', ['Input3']]]);
    expect(() => ModelReportSchema.parse(JSON.parse(JSON.stringify(r)))).not.toThrow();
  });

  it('an MLflow folder with an onnx flavor inspects the flavor data and every other .onnx in the tree', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'preflight-onnx-'));
    tmpRoots.push(dir);
    await mkdir(join(dir, 'extra'));
    await copyFile(mnist, join(dir, 'model.onnx'));
    await copyFile(mnist, join(dir, 'extra', 'copy.onnx'));
    await writeFile(
      join(dir, 'MLmodel'),
      'flavors:\n  onnx:\n    data: model.onnx\n    onnx_version: 1.14.0\n    providers: [CPUExecutionProvider]\n  python_function:\n    loader_module: mlflow.onnx\n    data: model.onnx\n    python_version: 3.12.3\nmlflow_version: 2.16.0\n',
    );
    const r = await service.inspect(dir);
    expect(r.mlmodel?.flavors.map((f) => f.name)).toEqual(['onnx', 'python_function']);
    expect(r.onnx.map((o) => o.file)).toEqual(['model.onnx', 'extra/copy.onnx']);
    expect(r.problems).toEqual([]);
  });
});
