/**
 * Conversions for an MLflow 1.x server (docs/fidelity.md §15 "1.x in convert/playground/validate"): the 1.x forms
 * (`mlflow1_split`, `mlflow1_records`, TF serving and CSV as 1.x reads them) are written with the Content-Type the
 * 1.x server needs, and every body produced is run through the emulated 1.x server of the version the model pins:
 * it must be accepted with the same frame as the source. The real models are the 1.x fixture folders
 * (../shared/fixtures/mlflow-models, pinned 1.25.1, 1.26.1, 1.28.0, 1.30.1). Conversions back to 2.x and to Azure
 * must keep working, and the version decides which forms get a warning.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { fixture } from '../../../../test/support/paths';
import { parseSignature } from '../signature';
import type { Signature } from '../model-report';
import { convertRequest, type ConvertResult, type ConvertTarget } from './convert';
import { validateRequest, type ValidationResult } from './validate';
import { samplePayloads } from './samples';
import { cols } from './test-signatures';

type Ok = Extract<ConvertResult, { ok: true }>;

interface Model1x {
  dir: string;
  version: string;
  signature: Signature | null;
}

function model(dir: string): Model1x {
  const ml = parseYaml(readFileSync(fixture('mlflow-models', dir, 'MLmodel'), 'utf8')) as Record<string, unknown>;
  const signature = ml.signature ? parseSignature(ml.signature as Record<string, unknown>).signature : null;
  return { dir, version: String(ml.mlflow_version), signature };
}

const MODELS = ['azureml-examples-xgboost-nyc-taxi', 'azureml-examples-credit-defaults-no-signature', 'azureml-examples-nyc-taxi-regression', 'mlflow-1x-sklearn-no-signature'].map(model);

const convert = (m: Model1x, body: string, contentType: string | null, to: ConvertTarget, over: { mlflowVersion?: string } = {}): Ok => {
  const r = convertRequest({ body, contentType, to, signature: m.signature, mlmodelVersion: m.version, mlflowVersion: over.mlflowVersion ?? null });
  if (!r.ok) throw new Error(`${m.dir}: ${to} failed: ${JSON.stringify(r.error)}`);
  return r;
};
const mlflow = (m: Model1x, body: string, contentType: string | null, mlflowVersion: string | null = null): ValidationResult =>
  validateRequest({ body, contentType, server: 'mlflow', mlflowVersion, mlmodelVersion: m.version, signature: m.signature });

/** A source body the model's own 1.x server takes: the sample (signature models), else a table of mixed columns. */
function sourceOf(m: Model1x): { body: string; contentType: string } {
  if (m.signature) {
    const s = samplePayloads({ signature: m.signature, inputExample: null, servingInputExample: null, mlmodelVersion: m.version });
    return { body: s.mlflow.body, contentType: s.mlflow.contentType };
  }
  return { body: '{"columns": ["a", "b", "c"], "index": [0, 1], "data": [[1, 2.5, "x"], [3, 4.0, "y"]]}', contentType: 'application/json' };
}

const ONE_X_FORMS: ConvertTarget[] = ['mlflow1_split', 'mlflow1_records', 'instances', 'inputs', 'csv'];

describe.each(MODELS)('$dir (MLflow $version): every 1.x form is accepted by the 1.x server with the source frame', (m) => {
  const src = sourceOf(m);
  const want = mlflow(m, src.body, src.contentType);

  it('the source itself is accepted by the emulated 1.x server', () => {
    expect(m.version).toMatch(/^1\./);
    expect(want.mlflow_version).toMatchObject({ version: m.version, behaviour: '1.x' });
    expect(want.ok, JSON.stringify(want.body)).toBe(true);
    expect(want.model_receives?.kind).toBe('DataFrame');
  });

  it.each(ONE_X_FORMS)('→ %s (and from the Azure form back to it)', (to) => {
    const direct = convert(m, src.body, src.contentType, to);
    const viaAzure = convert(m, convert(m, src.body, src.contentType, 'azureml').body, 'application/json', to);
    for (const r of [direct, viaAzure]) {
      expect(r.mlflow_version).toMatchObject({ version: m.version, behaviour: '1.x', source: 'mlmodel' });
      expect(r.contentType).toBe({ mlflow1_split: 'application/json; format=pandas-split', mlflow1_records: 'application/json; format=pandas-records', csv: 'text/csv' }[to as string] ?? 'application/json');
      expect(r.warnings.map((w) => w.code)).not.toContain('form-not-read-by-version');
      const got = mlflow(m, r.body, r.contentType);
      if ((to === 'instances' || to === 'inputs') && !m.signature) {
        // without a signature TF serving hands the model a dict of arrays, not the frame: the converter says so
        expect(r.warnings.map((w) => w.code)).toContain('input-kind-changes');
        expect(got.ok).toBe(true);
        expect(got.model_receives?.kind).toBe('dict');
        continue;
      }
      expect(got.ok, `${to}: ${r.body}\n${JSON.stringify(got.body)}`).toBe(true);
      expect(got.model_receives, `${to}: ${r.body}`).toEqual(want.model_receives);
    }
  });

  it('each 1.x form converts back to 2.x envelopes (upgraded with the note) and to Azure, the 2.x body accepted by a 2.x server', () => {
    for (const from of ONE_X_FORMS) {
      const x = convert(m, src.body, src.contentType, from);
      const up = convert(m, x.body, x.contentType, 'dataframe_split', { mlflowVersion: '2.12.2' });
      expect(up.body).toMatch(/^\{"dataframe_split": /);
      expect(up.mlflow_version).toMatchObject({ version: '2.12.2', source: 'override', behaviour: '2.12+' });
      const v2 = mlflow(m, up.body, up.contentType, '2.12.2');
      expect(v2.ok, `${from}: ${up.body}\n${JSON.stringify(v2.body)}`).toBe(true);
      if (!(from === 'instances' || from === 'inputs') || m.signature) expect((v2.model_receives as { columns: string[] }).columns).toEqual((want.model_receives as { columns: string[] }).columns);
      expect(convert(m, x.body, x.contentType, 'azureml').body).toMatch(/^\{"input_data": /);
    }
  });
});

describe('the MLflow version decides what each form means', () => {
  const nyc = MODELS.find((m) => m.dir === 'azureml-examples-nyc-taxi-regression')!;
  const sig = cols({ a: 'long', b: 'double' });
  const SPLIT2 = '{"dataframe_split": {"columns": ["a", "b"], "index": [5, 6], "data": [[1, 1.0], [2, 2.5]]}, "params": {"k": 1}}';

  it('1.x forms are the bare table with the Content-Type naming its orient; params are left out with a warning', () => {
    const split = convertRequest({ body: SPLIT2, contentType: 'application/json', to: 'mlflow1_split', signature: sig, mlflowVersion: '1.28.0' }) as Ok;
    expect(split).toMatchObject({ body: '{"columns": ["a", "b"], "index": [5, 6], "data": [[1, 1.0], [2, 2.5]]}', contentType: 'application/json; format=pandas-split', from: 'dataframe_split' });
    expect(split.warnings.map((w) => w.code)).toEqual(['params-dropped']);
    expect(split.warnings[0]!.message).toContain('MLflow 1.28.0 (the version you chose) takes no params');
    const records = convertRequest({ body: SPLIT2, contentType: 'application/json', to: 'mlflow1_records', signature: sig, mlflowVersion: '1.28.0' }) as Ok;
    expect(records).toMatchObject({ body: '[{"a": 1, "b": 1.0}, {"a": 2, "b": 2.5}]', contentType: 'application/json; format=pandas-records' });
    expect(records.warnings.map((w) => w.code)).toEqual(['params-dropped', 'index-dropped']);
    // TF serving under 1.x: the same envelope, without params (1.x refuses any other key)
    const inputs = convertRequest({ body: SPLIT2, contentType: 'application/json', to: 'inputs', signature: sig, mlflowVersion: '1.28.0' }) as Ok;
    expect(inputs.body).toBe('{"inputs": {"a": [1, 2], "b": [1.0, 2.5]}}');
    expect(inputs.warnings.map((w) => w.code)).toContain('params-dropped');
    // the same under 2.12 keeps params
    const inputs2 = convertRequest({ body: SPLIT2, contentType: 'application/json', to: 'inputs', signature: sig, mlflowVersion: '2.12.2' }) as Ok;
    expect(inputs2.body).toBe('{"inputs": {"a": [1, 2], "b": [1.0, 2.5]}, "params": {"k": 1}}');
  });

  it('a 2.x envelope for a 1.x server and a bare body for a 2.x server are written, with a warning saying the server refuses them', () => {
    const env = convertRequest({ body: '[{"a": 1, "b": 1.0}]', contentType: 'application/json', to: 'dataframe_split', signature: sig, mlflowVersion: '1.30.1' }) as Ok;
    expect(env.body).toBe('{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 1.0]]}}');
    expect(env.warnings.map((w) => w.code)).toEqual(['form-not-read-by-version']);
    expect(env.notes.join(' ')).toContain('MLflow 2.0 changed the scoring protocol');
    // and it is true: the 1.x server refuses that body
    const refused = validateRequest({ body: env.body, contentType: env.contentType, server: 'mlflow', mlflowVersion: '1.30.1', signature: sig });
    expect(refused).toMatchObject({ ok: false, status: 400 });
    const bare = convertRequest({ body: '{"dataframe_split": {"columns": ["a", "b"], "data": [[1, 1.0]]}}', contentType: 'application/json', to: 'mlflow1_split', signature: sig }) as Ok;
    expect(bare.warnings.map((w) => w.code)).toEqual(['form-not-read-by-version']);
    expect(bare.warnings[0]!.message).toContain('MLflow 3.6.1 (no model or --mlflow-version names another) does not read bare pandas bodies');
    expect(validateRequest({ body: bare.body, contentType: bare.contentType, server: 'mlflow', mlflowVersion: null, signature: sig }).ok).toBe(false);
  });

  it("between 1.x forms for a 1.x server the note says what the body was read as, not that it was upgraded", () => {
    const r = convert(nyc, '[{"distance": 1.0}]', 'application/json', 'mlflow1_split');
    expect(r.from).toBe('mlflow1_records');
    expect(r.notes.join(' ')).toContain('Read the bare list of records as an MLflow 1.x pandas-records body.');
    expect(r.notes.join(' ')).not.toMatch(/Upgraded|MLflow 2\.0 changed/);
    const s = convert(nyc, '{"columns": ["distance"], "data": [[1.0]]}', 'application/json; format=pandas-split', 'mlflow1_records');
    expect(s.notes).toContain('Read as an MLflow 1.x "format=pandas-split" body (a split table).');
  });

  it('a version that is not one is a malformed call (AppError), as for validate', () => {
    expect(() => convertRequest({ body: '{}', contentType: 'application/json', to: 'mlflow1_split', mlflowVersion: 'one' })).toThrow(/is not a version/);
  });
});
