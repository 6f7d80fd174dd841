/**
 * Azure's no-code scoring script (A1 + A4 + InferenceSchema) under the MLflow the model pins (docs/fidelity.md §16):
 * each expected text is what the real script printed with that MLflow tree (test/fidelity/azure-a1/probe_fresh.py,
 * recordings in test/fixtures/fidelity/azure-fresh/mlflow-<v>/), each rule at the release MLflow's history places it.
 */
import { describe, expect, it } from 'vitest';
import type { Signature } from '../model-report';
import { validateRequest, type ValidateRequestInput, type ValidationResult } from './validate';
import { cols, param } from './test-signatures';

const GENERIC = { message: 'An unexpected error occurred in scoring script. Check the logs for more info.' };
const az = (version: string, body: string, signature: Signature | null, over: Partial<ValidateRequestInput> = {}): ValidationResult =>
  validateRequest({ body, contentType: 'application/json', server: 'azureml', mlflowVersion: version, signature, flavors: ['python_function'], ...over });
const echo = cols({ a: 'double', b: 'string', c: 'long', d: 'boolean' });
const transformers = { flavors: ['python_function', 'transformers'] };
const MISSING_Q = "Model is missing inputs ['a', 'b', 'c', 'd']. Note that there were extra inputs: ['q']";

describe('before 2.10, a dict handed to _enforce_schema as is (an LLM-flavor model on Azure)', () => {
  it('a dict of scalars is one row from 2.3.1 (mlflow/mlflow cef03daeb #8326)', () => {
    for (const v of ['2.3.1', '2.7.1', '2.8.1']) {
      const r = az(v, '{"input_data": {"q": "a"}}', echo, transformers);
      expect(r.status).toBe(500);
      expect(r.body).toEqual(GENERIC);
      expect(r.server_log).toContain(MISSING_Q);
      expect(r.server_log).not.toContain('If using all scalar values');
    }
  });
  it('a dict of lists of strings is one row from 2.4.0 (mlflow/mlflow 3ade1a616 #8592), pd.DataFrame(dict) before', () => {
    const body = '{"input_data": {"columns": ["a", "b", "c", "d"], "data": []}}';
    for (const v of ['2.7.1', '2.8.1']) expect(az(v, body, echo, transformers).server_log).toContain("Model is missing inputs ['a', 'b', 'c', 'd']. Note that there were extra inputs: ['columns', 'data']");
    expect(az('2.3.1', body, echo, transformers).server_log).toContain(
      'This model contains a column-based signature, which suggests a DataFrame input. There was an error casting the input data to a DataFrame: All arrays must be of the same length',
    );
  });
});

describe('before 2.6, params are never read (mlflow/mlflow 916764d #9068: ModelSignature.params, predict(params=))', () => {
  const withParams = cols({ a: 'double', b: 'string', c: 'long', d: 'boolean' }, [param('k', 'long', 1)]);
  const split = '{"columns": ["a", "b", "c", "d"], "index": [0], "data": [[1.5, "x", 1, true]]}';
  it('a wrongly typed param reaches no check and no model', () => {
    const r = az('2.3.1', `{"input_data": ${split}, "params": {"k": "2"}}`, withParams);
    expect(r.ok).toBe(true);
    expect(r.params_received ?? null).toBeNull();
    // 2.6+ refuses it (MLflow's ParamSpec check)
    expect(az('2.8.1', `{"input_data": ${split}, "params": {"k": "2"}}`, withParams).ok).toBe(false);
  });
  it('a params value that is not a dict passes InferenceSchema (no params sample)', () => {
    expect(az('2.3.1', `{"input_data": ${split}, "params": [1]}`, withParams).ok).toBe(true);
    expect(az('2.8.1', `{"input_data": ${split}, "params": [1]}`, withParams).server_log).toContain("Invalid input data type to parse. Expected: <class 'dict'> but got <class 'list'>");
  });
});

describe('a signature with "required" under an MLflow before 2.10 (mlflow/mlflow 3372c3142 #9936)', () => {
  const required: Signature = { ...cols({ x: 'double' }), raw: { inputs: '[{"type": "double", "name": "x", "required": true}]', outputs: null, params: null } };
  it('the script fails at import: the deployment never starts', () => {
    for (const v of ['2.3.1', '2.7.1', '2.8.1']) {
      const r = az(v, '{"input_data": {"columns": ["x"], "data": [[1.0]]}}', required);
      expect(r.status).toBe(0);
      expect(r.server_log).toContain("TypeError: ColSpec.__init__() got an unexpected keyword argument 'required'");
    }
    expect(az('2.10.2', '{"input_data": {"columns": ["x"], "data": [[1.0]]}}', required).ok).toBe(true);
  });
});

describe('which key of a newer signature stops ColSpec, by version (docs/fidelity.md §16.1; real A1 + Model.load)', () => {
  // MLmodel texts as MLflow 2.16.2 and 2.4.2 wrote them (ColSpec.to_dict: the type's own keys, then name, then required)
  const sig = (inputs: string): Signature => ({ ...cols({ a: 'double', n: 'long' }), raw: { inputs, outputs: null, params: null } });
  const arrayFirst = sig('[{"type": "array", "items": {"type": "double"}, "name": "v", "required": true}, {"type": "double", "name": "a", "required": true}]');
  const objectFirst = sig('[{"type": "object", "properties": {"p": {"type": "long", "required": true}}, "name": "o", "required": true}, {"type": "double", "name": "a", "required": true}]');
  const mapFirst = sig('[{"type": "map", "values": {"type": "double"}, "name": "m", "required": true}, {"type": "double", "name": "a", "required": true}]');
  const optional = sig('[{"type": "double", "name": "a"}, {"type": "long", "name": "n", "optional": true}]');
  const body = '{"input_data": {"columns": ["a", "n"], "index": [0], "data": [[1.0, 2]]}}';
  const importFails = (v: string, s: Signature, key: string): void => {
    const r = az(v, body, s);
    expect(r.status).toBe(0);
    expect(r.server_log).toContain(`TypeError: ColSpec.__init__() got an unexpected keyword argument '${key}'`);
  };
  it("before 2.10 the first key ColSpec does not take is named: an array column's 'items', an object's 'properties', a map's 'values'", () => {
    for (const v of ['2.3.1', '2.4.2', '2.7.1', '2.8.1']) {
      importFails(v, arrayFirst, 'items');
      importFails(v, objectFirst, 'properties');
      importFails(v, mapFirst, 'values');
    }
  });
  it('"optional" (what 2.4–2.9 write for an optional column): refused before 2.4.0 (mlflow/mlflow 61decf49d #8438), read from 2.4.0', () => {
    importFails('2.3.1', optional, 'optional');
    importFails('2.0.1', optional, 'optional');
    for (const v of ['2.4.2', '2.8.1', '2.10.2', '2.16.2']) expect(az(v, body, optional).status).toBe(200);
  });
  it("2.10 and 2.11 read array and object columns but not a map (mlflow/mlflow 2e88d6396 #11265, first tag v2.12.1)", () => {
    importFails('2.10.2', mapFirst, 'values');
    importFails('2.11.3', mapFirst, 'values');
    for (const v of ['2.10.2', '2.16.2']) {
      expect(az(v, body, arrayFirst).status).not.toBe(0);
      expect(az(v, body, objectFirst).status).not.toBe(0);
    }
    expect(az('2.12.2', body, mapFirst).status).not.toBe(0);
    expect(az('2.16.2', body, mapFirst).status).not.toBe(0);
  });
  it("2.10 and 2.11 name a map nested in an array or an object as an unsupported type (Array / Property from_json_dict)", () => {
    const unsupported = "MlflowException: Unsupported type 'map', expected instance of DataType, Array, Object or one of ['boolean', 'integer', 'long', 'float', 'double', 'string', 'binary', 'datetime']";
    // written by MLflow 2.16.2; each run with the real A1 under 2.10.2
    const nested = [
      sig('[{"type": "double", "name": "a", "required": true}, {"type": "array", "items": {"type": "map", "values": {"type": "long"}}, "name": "am", "required": true}]'),
      sig('[{"type": "double", "name": "a", "required": true}, {"type": "object", "properties": {"p": {"type": "long", "required": true}, "q": {"type": "map", "values": {"type": "string"}, "required": true}}, "name": "o", "required": true}]'),
      sig('[{"type": "array", "items": {"type": "object", "properties": {"r": {"type": "map", "values": {"type": "array", "items": {"type": "double"}}, "required": true}}}, "name": "ao", "required": true}, {"type": "double", "name": "a", "required": true}]'),
    ];
    for (const s of nested)
      for (const v of ['2.10.2', '2.11.3']) {
        const r = az(v, body, s);
        expect(r.status).toBe(0);
        expect(r.server_log).toContain(unsupported);
      }
    // before 2.10 ColSpec stops first: at the plain column's 'required', or at an array column's 'items'
    expect(az('2.8.1', body, nested[0]!).server_log).toContain("unexpected keyword argument 'required'");
    expect(az('2.8.1', body, nested[2]!).server_log).toContain("unexpected keyword argument 'items'");
    // from 2.12 MLflow reads them (A1 then fails building its sample: azureml-sample.ts, not a load error)
    for (const s of nested) expect(az('2.12.2', body, s).server_log ?? '').not.toContain('Unsupported type');
  });
});
