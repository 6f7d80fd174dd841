import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type HostPorts } from '../../src/main/app/compose';
import { ModelService } from '../../src/main/services/model/model-service';
import { mlflowPin } from '../../src/main/services/payload/model-context';
import { MAX_BODY_CHARS, PayloadService } from '../../src/main/services/payload/payload-service';
import { methodChannel } from '../../src/shared/ipc/channels';
import { ConversionResultSchema, PayloadSamplesSchema, ValidationResultSchema } from '../../src/shared/ipc/contract';
import type { Dependency } from '../../src/shared/mlflow/model-report';
import { fixture, sampleModelDir } from '../support/paths';
import { testHostPorts } from '../support/host-ports';

/**
 * The payload service on real model folders: the model's own pins decide the emulated MLflow, the raw
 * input_example.json text decides Azure's dtypes, and the per-model cache notices edits.
 */

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-payload-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Counts inspections of the real ModelService (no behaviour replaced). */
class CountingModels extends ModelService {
  calls = 0;
  override async inspect(path: string, options?: { signal?: AbortSignal }) {
    this.calls++;
    return super.inspect(path, options);
  }
}

const request = (p: string): Promise<string> => readFile(fixture('requests', p), 'utf8');
const diabetes = fixture('mlflow-models', 'azureml-examples-sklearn-diabetes');
const DIABETES = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];

type Frame = { kind: 'DataFrame'; columns: string[]; dtypes: Record<string, string>; values: unknown[][] };

describe('PayloadService.validate', () => {
  it("the sample model's Azure request: accepted, 10 float64 columns, emulating the mlflow==2.16.2 pin", async () => {
    const service = new PayloadService(new ModelService());
    const serving = JSON.parse(await readFile(join(sampleModelDir, 'serving_input_example.json'), 'utf8')) as { dataframe_split: unknown };
    const r = await service.validate({ modelPath: sampleModelDir, body: JSON.stringify({ input_data: serving.dataframe_split }), server: 'azureml', contentType: 'application/json' });
    expect(r.ok).toBe(true);
    expect(r.status).toBe(200);
    expect(r.mlflow_version).toMatchObject({ version: '2.16.2', source: 'requirements', behaviour: '2.12+' });
    expect(r.mlflow_version.note).toContain('mlflow==2.16.2');
    const m = r.model_receives as Frame;
    expect(m.kind).toBe('DataFrame');
    expect(m.columns).toEqual(DIABETES);
    expect(Object.values(m.dtypes)).toEqual(Array(10).fill('float64'));
    expect(m.values).toHaveLength(2);
    expect(ValidationResultSchema.safeParse(r).success).toBe(true);
  });

  it('the same body on MLflow serve is a 400 naming the input fields it found', async () => {
    const service = new PayloadService(new ModelService());
    const r = await service.validate({ modelPath: diabetes, body: await request('azureml-examples/ncd-sample-request-sklearn-diabetes.json'), server: 'mlflow', contentType: 'application/json' });
    expect(r).toMatchObject({ ok: false, status: 400, model_receives: null });
    expect((r.body as { message: string }).message).toContain('Received dictionary with input fields: []');
  });

  it('a missing column: 500 on the pinned 2.7.1 server, 400 with --mlflow-version 2.12', async () => {
    const service = new PayloadService(new ModelService());
    const body = JSON.stringify({ dataframe_split: { columns: DIABETES.slice(0, 9), data: [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]] } });
    const pinned = await service.validate({ modelPath: diabetes, body, server: 'mlflow', contentType: 'application/json' });
    expect(pinned.mlflow_version).toMatchObject({ version: '2.7.1', behaviour: '2.7' });
    expect(pinned.status).toBe(500);
    expect(JSON.stringify(pinned.body)).toContain('s6');
    const newer = await service.validate({ modelPath: diabetes, body, server: 'mlflow', contentType: 'application/json', mlflowVersion: '2.12' });
    expect(newer.mlflow_version).toMatchObject({ version: '2.12', source: 'override', behaviour: '2.12+' });
    expect(newer.status).toBe(400);
  });

  it('no Content-Type header: Azure says 415 with its own sentence', async () => {
    const service = new PayloadService(new ModelService());
    const r = await service.validate({ modelPath: diabetes, body: await request('azureml-examples/ncd-sample-request-sklearn-diabetes.json'), server: 'azureml', contentType: null });
    expect(r).toMatchObject({ ok: false, status: 415, body: { message: 'Expects Content-Type to be application/json' } });
  });

  it('the heart request sends 2 for the string column thal: accepted, with a warning at that column', async () => {
    const service = new PayloadService(new ModelService());
    const r = await service.validate({
      modelPath: fixture('mlflow-models', 'azureml-examples-heart-classifier'),
      body: await request('azureml-examples/deploy-with-packages-heart-sample-request.json'),
      server: 'azureml',
      contentType: 'application/json',
    });
    expect(r.ok).toBe(true);
    const w = r.warnings.find((x) => x.code === 'non-string-in-string-column');
    expect(w?.path).toMatch(/^\$\.input_data\.data/);
  });

  it("Azure's dtypes follow the raw input_example.json text (1 vs 1.0), and an edited example is picked up", async () => {
    const dir = join(tmp, 'sample-copy');
    await cp(sampleModelDir, dir, { recursive: true });
    const models = new CountingModels();
    const service = new PayloadService(models);
    const body = JSON.stringify({ input_data: { columns: DIABETES, data: [[1.5, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]] } });
    const call = () => service.validate({ modelPath: dir, body, server: 'azureml', contentType: 'application/json' });

    const before = await call();
    expect((before.model_receives as Frame).dtypes.age).toBe('float64');
    expect((before.model_receives as Frame).values[0]![0]).toBe(1.5);
    await call();
    expect(models.calls).toBe(1);

    // Integers in the example make pandas read an int64 `age` column; Azure then casts the request to it.
    await writeFile(join(dir, 'input_example.json'), JSON.stringify({ columns: DIABETES, data: [[1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.5]] }));
    const after = await call();
    expect(models.calls).toBe(2);
    // The model pins mlflow==2.16.2: its enforcement lets an int64 column through for a double one only when every
    // value is 0 or 1 (MLflow 2.16.1+, docs/fidelity.md). 1.5 becomes 1 and passes as 1.0 ...
    expect(after.status).toBe(200);
    expect((after.model_receives as Frame).dtypes.age).toBe('float64');
    expect((after.model_receives as Frame).values[0]![0]).toBe(1);
    expect(after.warnings).toContainEqual(expect.objectContaining({ code: 'azure-example-dtypes', message: expect.stringContaining("'age' as int64") }));
    expect(after.warnings).toContainEqual(expect.objectContaining({ code: 'float-truncated', path: '$.input_data.data[0][0]' }));
    // ... while 2.5 becomes 2 and is refused (Azure's real script answers 500).
    const two = await service.validate({ modelPath: dir, body: body.replace('[[1.5,', '[[2.5,'), server: 'azureml', contentType: 'application/json' });
    expect(two.status).toBe(500);
    expect(two.server_log).toContain('Incompatible input types for column age. Can not safely convert int64 to float64.');
    // The same folder emulated as 2.16.0 refuses even 1.5 → 1.
    const old = await service.validate({ modelPath: dir, body, server: 'azureml', contentType: 'application/json', mlflowVersion: '2.16.0' });
    expect(old.status).toBe(500);
    expect(old.server_log).toContain('Incompatible input types for column age. Can not safely convert int64 to float64.');

    // `1.0` is a float to Python even though JSON.parse cannot tell: age stays float64, 1.5 survives.
    await writeFile(join(dir, 'input_example.json'), `{"columns": ${JSON.stringify(DIABETES)}, "data": [[1.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.5]]}`);
    const floats = await call();
    expect(models.calls).toBe(3);
    expect((floats.model_receives as Frame).values[0]![0]).toBe(1.5);
    expect(floats.warnings.filter((w) => w.code === 'azure-example-dtypes')).toEqual([]);
  });

  it('a missing model folder is E_NOT_FOUND naming it; an oversized body is E_INVALID_INPUT', async () => {
    const service = new PayloadService(new ModelService());
    await expect(service.validate({ modelPath: join(tmp, 'nope'), body: '{}', server: 'azureml', contentType: 'application/json' })).rejects.toMatchObject({
      code: 'E_NOT_FOUND',
      message: expect.stringContaining(join(tmp, 'nope')),
    });
    await expect(service.validate({ modelPath: diabetes, body: ' '.repeat(MAX_BODY_CHARS + 1), server: 'azureml', contentType: 'application/json' })).rejects.toMatchObject({
      code: 'E_INVALID_INPUT',
      message: expect.stringMatching(/smaller sample/),
    });
  });

  it('a bad --mlflow-version is E_INVALID_INPUT that says how to write it', async () => {
    const service = new PayloadService(new ModelService());
    await expect(service.validate({ modelPath: diabetes, body: '{}', server: 'mlflow', contentType: 'application/json', mlflowVersion: 'latest' })).rejects.toMatchObject({
      code: 'E_INVALID_INPUT',
      message: expect.stringMatching(/X\.Y/),
    });
  });
});

describe('PayloadService.samples / convert', () => {
  it("the sample model's samples come from its example files, and both servers accept them", async () => {
    const service = new PayloadService(new ModelService());
    const s = await service.samples({ modelPath: sampleModelDir });
    expect(PayloadSamplesSchema.parse(s)).toBeTruthy();
    expect(s.mlflow.source).toBe('serving_input_example');
    expect(['input_example', 'serving_input_example']).toContain(s.azureml.source);
    expect(Object.keys(JSON.parse(s.azureml.body) as object)).toEqual(['input_data']);
    for (const server of ['mlflow', 'azureml'] as const) {
      const r = await service.validate({ modelPath: sampleModelDir, body: s[server].body, server, contentType: s[server].contentType });
      expect(r.ok, `${server}: ${JSON.stringify(r.body)}`).toBe(true);
      expect((r.model_receives as Frame).columns).toEqual(DIABETES);
    }
  });

  it("samples for another MLflow version than the pin are in that version's forms; a bad version is E_INVALID_INPUT", async () => {
    const service = new PayloadService(new ModelService());
    const nyc = fixture('mlflow-models', 'azureml-examples-nyc-taxi-regression');
    const pinned = await service.samples({ modelPath: nyc });
    expect(pinned.mlflow_version).toMatchObject({ version: '1.28.0', behaviour: '1.x' });
    expect(Object.keys(JSON.parse(pinned.mlflow.body) as object)).not.toContain('dataframe_split');
    const modern = await service.samples({ modelPath: nyc, mlflowVersion: '2.12.2' });
    expect(modern.mlflow_version).toMatchObject({ version: '2.12.2', behaviour: '2.12+', source: 'override' });
    expect(Object.keys(JSON.parse(modern.mlflow.body) as object)).toEqual(['dataframe_split']);
    const r = await service.validate({ modelPath: nyc, body: modern.mlflow.body, server: 'mlflow', contentType: modern.mlflow.contentType, mlflowVersion: '2.12.2' });
    expect(r.ok, JSON.stringify(r.body)).toBe(true);
    await expect(service.samples({ modelPath: nyc, mlflowVersion: 'latest' })).rejects.toMatchObject({ code: 'E_INVALID_INPUT', message: expect.stringMatching(/X\.Y/) });
    // Under a version whose servers never start (2.7.1 cannot read the sample model's signature), every candidate is
    // refused alike: the model's own examples stay, not a row made up from the signature, and the note says why.
    const never = await service.samples({ modelPath: sampleModelDir, mlflowVersion: '2.7.1' });
    expect(never.mlflow.source).toBe('serving_input_example');
    expect(never.azureml.source).not.toBe('signature');
    expect(never.azureml.note).toContain('no body gets an answer — mlflow_score_script.py fails at import');
  });

  it('a model with a signature but no example gets samples made from the signature', async () => {
    const service = new PayloadService(new ModelService());
    const heart = fixture('mlflow-models', 'azureml-examples-heart-classifier');
    const s = await service.samples({ modelPath: heart });
    expect(s.azureml.source).toBe('signature');
    const r = await service.validate({ modelPath: heart, body: s.azureml.body, server: 'azureml', contentType: s.azureml.contentType });
    expect(r.ok, String(r.server_log)).toBe(true);
  });

  it("convert with the model's signature; a body that is not JSON is an answer with the reason, not a throw", async () => {
    const service = new PayloadService(new ModelService());
    const ok = await service.convert({ body: await request('azureml-examples/ncd-sample-request-sklearn-diabetes.json'), contentType: 'application/json', to: 'dataframe_records', modelPath: diabetes });
    expect(ConversionResultSchema.parse(ok)).toMatchObject({ ok: true, from: 'azureml_split' });
    const bad = await service.convert({ body: await request('invalid/automl-ner.request.json'), contentType: 'application/json', to: 'azureml' });
    expect(bad.ok).toBe(false);
  });
});

describe('mlflowPin', () => {
  const dep = (file: string, spec: string, name = 'mlflow'): Dependency => ({ name, spec, raw: `${name}${spec}`, file, line: 1, installer: 'pip', channel: null, source: 'index' });
  it('takes exact pins only, conda.yaml before requirements.txt', () => {
    expect(mlflowPin([dep('requirements.txt', '==2.7.1')])).toBe('mlflow==2.7.1');
    expect(mlflowPin([dep('requirements.txt', '==2.12.2'), dep('conda.yaml', '==2.7.1')])).toBe('mlflow==2.7.1');
    expect(mlflowPin([dep('requirements.txt', '>=2.7'), dep('conda.yaml', '')])).toBeNull();
    expect(mlflowPin([dep('requirements.txt', '==2.9.0', 'mlflow-skinny')])).toBe('mlflow-skinny==2.9.0');
  });
});

describe('payload.* over dispatch (strict output checking)', () => {
  const ports = (): HostPorts => testHostPorts({ userDataDir: join(tmp, 'user-data'), resourcesDir: join(tmp, 'resources') });
  const ctx = { senderId: 'test', signal: new AbortController().signal };

  it('validate answers match the contract for accepted, rejected and tensor requests', async () => {
    const { dispatch } = await compose(ports());
    const cases: [string, string, 'azureml' | 'mlflow'][] = [
      [diabetes, 'azureml-examples/ncd-sample-request-sklearn-diabetes.json', 'azureml'],
      [diabetes, 'azureml-examples/ncd-sample-request-sklearn-diabetes.json', 'mlflow'],
      [fixture('mlflow-models', 'azureml-assets-medsam2'), 'azureml-assets/medsam2.request.json', 'azureml'],
      [fixture('mlflow-models', 'azureml-assets-gpt2'), 'azureml-assets/gpt2.request.json', 'azureml'],
      [fixture('mlflow-models', 'azureml-assets-automl-ner'), 'invalid/automl-ner.request.json', 'mlflow'],
    ];
    for (const [modelPath, req, server] of cases) {
      const r = await dispatch(methodChannel('payload', 'validate'), { modelPath, body: await request(req), server, contentType: 'application/json' }, ctx);
      expect(r.ok, `${req} on ${server}: ${JSON.stringify(r)}`).toBe(true);
    }
  });

  it('bad input is E_INVALID_INPUT naming the field', async () => {
    const { dispatch } = await compose(ports());
    const r = await dispatch(methodChannel('payload', 'validate'), { modelPath: diabetes, body: '{}', server: 'triton', contentType: null }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'E_INVALID_INPUT', message: expect.stringContaining('server') } });
  });
});
