/**
 * The real request payloads under ../shared/fixtures/requests against the real MLflow model folders they
 * belong to (fixtures README "Request payloads"). Signatures go through the real MLmodel signature parser.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { fixture } from '../../../../test/support/paths';
import type { Signature } from '../model-report';
import { parseSignature } from '../signature';
import { validateRequest, type ValidationResult } from './validate';
import { cols } from './test-signatures';

const req = (p: string): string => readFileSync(fixture('requests', p), 'utf8');

/** MLmodel's `signature:` through the real parser (../signature.ts), as the model service reads it. */
function signatureOf(model: string): { sig: Signature | null; version: string | null; flavors: string[] } {
  const ml = parseYaml(readFileSync(fixture('mlflow-models', model, 'MLmodel'), 'utf8')) as Record<string, unknown>;
  const version = (ml.mlflow_version as string | undefined) ?? null;
  const flavors = Object.keys((ml.flavors as Record<string, unknown> | undefined) ?? {});
  if (!ml.signature) return { sig: null, version, flavors };
  const parsed = parseSignature(ml.signature as Record<string, unknown>);
  expect(parsed.issues, `${model} signature issues`).toEqual([]);
  return { sig: parsed.signature, version, flavors };
}

const validate = (body: string, model: string | null, server: 'mlflow' | 'azureml', extra: { inputExample?: { form: string; text: string }; flavors?: string[] } = {}): ValidationResult => {
  const { sig, version, flavors } = model ? signatureOf(model) : { sig: null, version: null, flavors: [] };
  return validateRequest({ body, contentType: 'application/json', server, mlflowVersion: null, mlmodelVersion: version, signature: sig, flavors, ...extra });
};

describe('fixture requests (real payloads, real models)', () => {
  it('ncd diabetes split (integers written as 1.0) is accepted by Azure with 10 float64 columns', () => {
    for (const f of ['azureml-examples/ncd-sample-request-sklearn-diabetes.json', 'azureml-examples/sdk-mlflow-sample-request-sklearn-diabetes.json']) {
      const r = validate(req(f), 'azureml-examples-sklearn-diabetes', 'azureml');
      expect(r.ok, JSON.stringify(r.server_log)).toBe(true);
      expect(r.mlflow_version.version).toBe('2.7.1');
      const m = r.model_receives as { dtypes: Record<string, string>; columns: string[] };
      expect(m.columns).toHaveLength(10);
      expect(new Set(Object.values(m.dtypes))).toEqual(new Set(['float64']));
    }
  });
  it('heart request: thal is string in the signature but the payload sends 2 — accepted, with a warning', () => {
    const r = validate(req('azureml-examples/deploy-with-packages-heart-sample-request.json'), 'azureml-examples-heart-classifier', 'azureml');
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.code)).toContain('non-string-in-string-column');
  });
  it('Azure bodies sent to MLflow serve fail with "input fields: []" and say why', () => {
    const r = validate(req('azureml-examples/ncd-sample-request-sklearn-diabetes.json'), 'azureml-examples-sklearn-diabetes', 'mlflow');
    expect(r.status).toBe(400);
    expect((r.body as { message: string }).message).toContain('Received dictionary with input fields: []');
  });
  it('MLflow 1.x bare columns/data is rejected by MLflow 2.x and flagged as legacy', () => {
    const r = validate(req('azureml-examples/mlflow-1x-columns-data-request.json'), 'azureml-examples-iris-1x-input-example', 'mlflow');
    expect(r.ok).toBe(false);
    expect(r.warnings.some((w) => w.message.includes('MLflow 1.x'))).toBe(true);
  });
  it('gpt2: params validated against signature.params on MLflow serve; on Azure a transformers model takes the bare list, a plain column model does not', () => {
    const body = req('azureml-assets/gpt2.request.json').replace('"input_data"', '"inputs"');
    const r = validate(body, 'azureml-assets-gpt2', 'mlflow');
    expect(r.ok, JSON.stringify(r.body)).toBe(true);
    expect(r.params_received).toEqual({ top_p: 1, temperature: 0.8, max_new_tokens: 100, do_sample: true, return_full_text: true });
    // A1 with a transformers flavor and `[{"type": "string"}]`: the sample is ["sample string"] (a list
    // parameter), and run()'s LLM parser hands the list of strings to the model (run with the real script).
    const az = validate(req('azureml-assets/gpt2.request.json'), 'azureml-assets-gpt2', 'azureml');
    expect(az.ok, String(az.server_log)).toBe(true);
    expect(az.model_receives).toMatchObject({ kind: 'DataFrame', dtypes: { '0': 'object' } });
    expect(az.params_received).toMatchObject({ top_p: 1, temperature: 0.8 });
    // Without the flavor the same signature is a DataFrame sample (PandasParameterType), which a list fails.
    const plain = validate(req('azureml-assets/gpt2.request.json'), 'azureml-assets-gpt2', 'azureml', { flavors: ['python_function'] });
    expect(plain.status).toBe(500);
    expect(plain.server_log).toContain("AttributeError: 'list' object has no attribute 'items'");
  });
  it('automl text classification: the documented input_string does not match the ReviewText column (generic 500)', () => {
    const r = validate(req('azureml-assets/automl-text-classification.request.json'), 'azureml-assets-automl-text-classification', 'azureml');
    expect(r.status).toBe(500);
    expect(r.server_log).toContain('JSON data had unexpected key(s): input_string');
  });
  it('MedSAM2 named tensors under input_data', () => {
    const r = validate(req('azureml-assets/medsam2.request.json'), 'azureml-assets-medsam2', 'azureml');
    expect(r.status === 200 || r.status === 500).toBe(true);
    expect(r.server_log === null || typeof r.server_log === 'string').toBe(true);
  });
  it('the MLflow 2.0 pyfunc test payload with its own input example drives the Azure sample', () => {
    const r = validate(req('azureml-assets/mlflow-2.0-pyfunc.request.json'), 'azureml-assets-mlflow-2.0-pyfunc', 'azureml', {
      inputExample: { form: 'dataframe-split', text: readFileSync(fixture('mlflow-models', 'azureml-assets-mlflow-2.0-pyfunc', 'input_example.json'), 'utf8') },
    });
    expect(r.ok, String(r.server_log)).toBe(true);
  });
  it('the four canonical MLflow docstring payloads parse on a no-signature model', () => {
    for (const f of ['dataframe_records', 'dataframe_split', 'inputs', 'instances']) {
      const r = validate(req(`mlflow/cli-serve-docstring-${f}.json`), null, 'mlflow');
      expect(r.ok, `${f}: ${JSON.stringify(r.body)}`).toBe(true);
    }
  });
  it('documented invalid JSON is a 400 on both servers', () => {
    expect(validate(req('invalid/automl-ner.request.json'), 'azureml-assets-automl-ner', 'azureml').status).toBe(400);
    expect(validate(req('invalid/automl-ner.request.json'), 'azureml-assets-automl-ner', 'mlflow').status).toBe(400);
  });
  it('KServe V2 bodies are not MLflow bodies', () => {
    // MLflow serve takes V2's `inputs` list as data (the model would get a list of dicts) and drops the rest silently
    const r = validate(req('other-protocols/mlserver-mlflow-v2-inference-request.json'), null, 'mlflow');
    expect(r.model_receives).toMatchObject({ kind: 'list' });
    expect(r.warnings.map((w) => w.code)).toContain('ignored-top-level-key');
    expect(validate(req('other-protocols/mlserver-mlflow-v2-inference-request.json'), null, 'azureml').status).toBe(400);
  });
});

describe('validateRequest never throws and stays linear (property)', () => {
  const sigs = [null, cols({ a: 'long', b: 'double', c: 'boolean', s: 'string', d: 'datetime', x: 'binary' })];
  it('random JSON in every envelope gives a structured answer', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('dataframe_split', 'dataframe_records', 'inputs', 'instances', 'input_data', 'prompt', 'params'), fc.constantFrom('mlflow', 'azureml'), fc.constantFrom(0, 1), fc.constantFrom('2.7.1', '2.12.2', '3.6.1'),
        (v, key, server, s, ver) => {
          const r = validateRequest({ body: JSON.stringify({ [key]: v }), contentType: 'application/json', server: server as 'mlflow', mlflowVersion: ver, signature: sigs[s]! });
          expect(typeof r.status).toBe('number');
          expect(() => JSON.stringify(r)).not.toThrow();
        }),
      { numRuns: 1500 },
    );
  });
  it('random split frames against a typed signature never throw', () => {
    const cell = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((b) => ({ big: b })));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 6, maxLength: 6 }), { maxLength: 5 }), fc.constantFrom('mlflow', 'azureml'), (rows, server) => {
        const data = JSON.stringify(rows, (_k, x) => (x && typeof x === 'object' && 'big' in x ? `__${x.big}__` : x)).replace(/"__(-?\d+)__"/g, '$1');
        const body = server === 'mlflow' ? `{"dataframe_split": {"columns": ["a","b","c","s","d","x"], "data": ${data}}}` : `{"input_data": {"columns": ["a","b","c","s","d","x"], "data": ${data}}}`;
        const r = validateRequest({ body, contentType: 'application/json', server: server as 'mlflow', mlflowVersion: null, signature: sigs[1]! });
        expect([200, 400, 500]).toContain(r.status);
      }),
      { numRuns: 500 },
    );
  });
  it('odd unicode and a 10 MB string are fine', () => {
    const big = 'é😀\u0000'.repeat(1) + 'x'.repeat(10_000_000);
    const r = validateRequest({ body: JSON.stringify({ inputs: [big, '\ud800'] }), contentType: 'application/json', server: 'mlflow', mlflowVersion: null, signature: null });
    expect(r.ok).toBe(true);
  });
});
