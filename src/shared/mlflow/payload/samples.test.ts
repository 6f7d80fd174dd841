/**
 * samplePayloads (issue 3 "Sample payloads"): for every real model folder in the fixtures, the MLflow and
 * Azure samples come from the documented source (payloads.md §1 examples, else the signature) and the
 * emulated server accepts them — except where §4.1 says Azure cannot accept any body for that model.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { fixture } from '../../../../test/support/paths';
import { parseSignature } from '../signature';
import { samplePayloads, type SamplePayloadsInput } from './samples';
import { validateRequest } from './validate';
import { cols, param, tensor, tensors } from './test-signatures';

/** A fixture folder as the main process hands it over: real signature parser, example form from MLmodel. */
function modelOf(dir: string): SamplePayloadsInput & { version: string | null } {
  const ml = parseYaml(readFileSync(fixture('mlflow-models', dir, 'MLmodel'), 'utf8')) as Record<string, unknown>;
  const signature = ml.signature ? parseSignature(ml.signature as Record<string, unknown>).signature : null;
  const info = (ml.saved_input_example_info ?? null) as Record<string, string> | null;
  const exFile = fixture('mlflow-models', dir, 'input_example.json');
  let inputExample: SamplePayloadsInput['inputExample'] = null;
  if (existsSync(exFile)) {
    const text = readFileSync(exFile, 'utf8');
    const major = Number(String(ml.mlflow_version ?? '1').split('.')[0]);
    // §1: dataframe examples are split dicts; MLflow 1.x bodies are the legacy form
    const form = info?.type === 'json_object' ? 'json-object' : major >= 2 ? 'dataframe-split' : 'legacy-split';
    inputExample = { form, content: JSON.parse(text) as unknown, text };
  }
  return { signature, inputExample, servingInputExample: null, version: (ml.mlflow_version as string | undefined) ?? null };
}

const models = readdirSync(fixture('mlflow-models'));
/** §4.1: Azure cannot answer any body for these (complex column types; float64 example vs float32 signature). */
const AZURE_NEVER_OK: Record<string, string> = {
  'mlflow-2.12-langchain-chat': 'the deployment never starts',
  'azureml-examples-autolog-nyc-taxi': 'refuses every candidate',
};

describe('samples for every fixture model validate on their own server (§1, §4)', () => {
  it.each(models)('%s', (dir) => {
    const m = modelOf(dir);
    const s = samplePayloads({ ...m, mlmodelVersion: m.version });
    const check = (body: string, server: 'mlflow' | 'azureml') =>
      validateRequest({ body, contentType: 'application/json', server, mlflowVersion: null, mlmodelVersion: m.version, signature: m.signature, inputExample: m.inputExample });
    const ml = check(s.mlflow.body, 'mlflow');
    expect(ml.ok, `${s.mlflow.body}\n${JSON.stringify(ml.body)}`).toBe(true);
    expect(s.mlflow.source).toBe(m.inputExample ? 'input_example' : m.signature?.inputs ? 'signature' : m.signature?.params ? 'signature' : 'none');
    expect(s.azureml.body).toMatch(/^\{"input_data": /);
    const az = check(s.azureml.body, 'azureml');
    if (AZURE_NEVER_OK[dir]) {
      expect(az.ok).toBe(false);
      expect(s.azureml.note).toContain(AZURE_NEVER_OK[dir]);
    } else expect(az.ok, `${s.azureml.body}\n${String(az.server_log)}`).toBe(true);
  });

  it('a model pinning MLflow 1.x gets its sample in the 1.x form (bare split dict), which the emulated 1.x server accepts', () => {
    const m = modelOf('azureml-examples-nyc-taxi-regression');
    expect(m.version).toMatch(/^1\./);
    const s = samplePayloads({ ...m, mlmodelVersion: m.version });
    expect(s.mlflow.body).toMatch(/^\{"columns": \["distance", /);
    expect(s.mlflow.note).toContain('before 2.0 the server reads a bare pandas split dict');
    // the answer names the version whose form the MLflow sample takes (the playground's format switch follows it)
    expect(s.mlflow_version).toMatchObject({ version: m.version, source: 'mlmodel', behaviour: '1.x' });
    expect(samplePayloads(m).mlflow_version).toMatchObject({ version: '3.6.1', source: 'default', behaviour: '2.12+' });
    expect(s.azureml.body).toMatch(/^\{"input_data": \{"columns": \["distance", /);
    // without the version, the newest behaviour's envelope
    expect(samplePayloads(m).mlflow.body).toMatch(/^\{"dataframe_split": /);
  });

  it('the input example drives both samples, with its own number lexemes (mlflow-2.0 pyfunc: 3.0 stays a float)', () => {
    const s = samplePayloads(modelOf('azureml-assets-mlflow-2.0-pyfunc'));
    expect(s.mlflow.body).toBe('{"dataframe_split": {"columns": ["a", "b", "c"], "data": [[3.0, 1, "foo"]]}}');
    expect(s.azureml.body).toBe('{"input_data": {"columns": ["a", "b", "c"], "index": [0], "data": [[3.0, 1, "foo"]]}}');
    expect(s.azureml.source).toBe('input_example');
  });
  it('a unified-LLM json_object example is sent as it is to MLflow (§1 serving example rule)', () => {
    const s = samplePayloads(modelOf('mlflow-2.12-langchain-chat'));
    expect(s.mlflow.body.startsWith('{"messages": [')).toBe(true);
  });
  it('the diabetes signature gives one row of 10 doubles and the same row under input_data with an index', () => {
    const s = samplePayloads(modelOf('azureml-examples-sklearn-diabetes'));
    expect(s.mlflow).toMatchObject({ source: 'signature' });
    expect(JSON.parse(s.mlflow.body).dataframe_split.columns).toHaveLength(10);
    expect(JSON.parse(s.azureml.body).input_data.index).toEqual([0]);
  });
  it('params schema: defaults are sent (gpt2, §2.5)', () => {
    const s = samplePayloads(modelOf('azureml-assets-gpt2'));
    expect(JSON.parse(s.mlflow.body).params).toMatchObject({ temperature: 0.8, do_sample: true });
  });
});

describe('samples from hand-written inputs', () => {
  it('serving_input_example.json wins and is sent verbatim (§1, MLflow ≥ 2.15)', () => {
    const text = '{\n  "dataframe_split": {\n    "columns": ["a"],\n    "data": [[1]]\n  }\n}';
    const s = samplePayloads({ signature: cols({ a: 'long' }), inputExample: null, servingInputExample: { content: JSON.parse(text), text } });
    expect(s.mlflow).toMatchObject({ body: text, source: 'serving_input_example' });
    expect(s.azureml.body).toBe('{"input_data": {"columns": ["a"], "index": [0], "data": [[1]]}}');
  });
  it('a serving example the server refuses is skipped and the note says why', () => {
    const text = '{"dataframe_split": {"columns": ["zz"], "data": [[1]]}}';
    const s = samplePayloads({ signature: cols({ a: 'long' }), inputExample: null, servingInputExample: { content: JSON.parse(text), text } });
    expect(s.mlflow.source).toBe('signature');
    expect(s.mlflow.note).toContain("serving_input_example.json would be refused (400: MLflow's inner error: Model is missing inputs ['a']");
  });
  it.each([
    ['unnamed tensor with -1 dims as 1', tensors(tensor('float32', [-1, 2, 3])), '{"inputs": [[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]]}', '{"input_data": [[[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]]}'],
    ['named tensors', tensors(tensor('int64', [-1], 'ids'), tensor('str', [-1], 'txt')), '{"inputs": {"ids": [1], "txt": ["text"]}}', '{"input_data": {"ids": [1], "txt": ["text"]}}'],
    ['every scalar column type', cols({ b: 'boolean', i: 'integer', l: 'long', f: 'float', d: 'double', s: 'string', x: 'binary', t: 'datetime' }),
      '{"dataframe_split": {"columns": ["b", "i", "l", "f", "d", "s", "x", "t"], "data": [[true, 1, 1, 1.0, 1.0, "text", "aGVsbG8=", "2024-01-01T00:00:00"]]}}', null],
    ['params only', { ...cols({ a: 'double' }), params: [param('k', 'long', 5), param('l', 'double', [1.5], [-1])] }, '{"dataframe_split": {"columns": ["a"], "data": [[1.0]]}, "params": {"k": 5, "l": [1.5]}}', null],
  ])('from the signature: %s', (_name, signature, mlflow, azure) => {
    const s = samplePayloads({ signature, inputExample: null, servingInputExample: null });
    expect(s.mlflow).toMatchObject({ body: mlflow, source: 'signature' });
    if (azure) expect(s.azureml.body).toBe(azure);
    for (const [server, body] of [['mlflow', s.mlflow.body], ['azureml', s.azureml.body]] as const)
      expect(validateRequest({ body, contentType: 'application/json', server, mlflowVersion: null, signature }).ok, `${server}: ${body}`).toBe(true);
  });
  it('no signature, no example: a placeholder that says so', () => {
    const s = samplePayloads({ signature: null, inputExample: null, servingInputExample: null });
    expect(s.mlflow.source).toBe('none');
    expect(s.mlflow.note).toContain('no signature and no input example');
  });
});
