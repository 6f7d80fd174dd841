import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../../shared/errors';
import { ValidationResultSchema, type ConversionResultData } from '../../../../../shared/ipc/contract';
import type { Signature } from '../../../../../shared/mlflow/model-report';
import { validateRequest } from '../../../../../shared/mlflow/payload';
import { createRequestStore, type RequestApi, type Samples } from './request-store';
import { editorBody } from './selectors';

/**
 * The store against an in-memory host whose `payload.validate` is the real shared engine (the same code the
 * main process runs) on the diabetes signature, so the answers are real ones; samples and conversions are
 * the host's fixed answers, and a test can hold a validation to finish it out of order.
 */
const COLUMNS = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];
const signature: Signature = {
  inputs: { kind: 'columns', columns: COLUMNS.map((name) => ({ name, type: { type: 'double' as const }, required: true, display: 'double' })) },
  outputs: null,
  params: null,
  raw: { inputs: null, outputs: null, params: null },
};
const row = [0.038, 0.05, 0.061, 0.021, -0.044, -0.034, -0.043, -0.002, 0.019, -0.017];
const samples: Samples = {
  azureml: { body: JSON.stringify({ input_data: { columns: COLUMNS, data: [row] } }), contentType: 'application/json', source: 'input_example', note: 'From input_example.json.' },
  mlflow: { body: JSON.stringify({ dataframe_split: { columns: COLUMNS, data: [row] } }), contentType: 'application/json', source: 'serving_input_example', note: 'From serving_input_example.json.' },
};

function memoryHost(options: { convert?: ConversionResultData; models?: string[] } = {}) {
  const calls: { body: string; server: string; contentType: string | null; mlflowVersion: string | null | undefined }[] = [];
  const held: (() => void)[] = [];
  let hold = false;
  const api: RequestApi = {
    payload: {
      async validate(input) {
        calls.push({ body: input.body, server: input.server, contentType: input.contentType, mlflowVersion: input.mlflowVersion });
        if (hold) await new Promise<void>((resolve) => held.push(resolve));
        if (!(options.models ?? ['/m']).includes(input.modelPath)) throw new AppError('E_NOT_FOUND', `Model folder not found: ${input.modelPath}.`);
        const r = validateRequest({ ...input, mlflowVersion: input.mlflowVersion ?? null, mlmodelVersion: '2.16.2', signature });
        return ValidationResultSchema.parse(r);
      },
      async samples({ modelPath }) {
        if (!(options.models ?? ['/m']).includes(modelPath)) throw new AppError('E_NOT_FOUND', `Model folder not found: ${modelPath}.`);
        return samples;
      },
      async convert() {
        return options.convert ?? { ok: false, error: { code: 'not-convertible', message: 'nothing to convert', path: '$' } };
      },
    },
  };
  return {
    api,
    calls,
    holdNext: () => (hold = true),
    release: () => {
      hold = false;
      for (const r of held.splice(0)) r();
    },
  };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('request store', () => {
  it('opens on the Azure sample and shows its answer: 200, ten float64 columns', async () => {
    const host = memoryHost();
    const store = createRequestStore(host.api, { debounceMs: 0 });
    await store.getState().setModel('/m');
    const s = store.getState();
    expect(s.body).toBe(editorBody(samples.azureml.body, 'application/json'));
    expect(s.bodyIsSample).toBe(true);
    expect(s.validation.status).toBe('done');
    const result = s.validation.status === 'done' ? s.validation.result : null;
    expect(result).toMatchObject({ ok: true, status: 200, server: 'azureml' });
    expect(result?.model_receives).toMatchObject({ kind: 'DataFrame', columns: COLUMNS });
  });

  it('switching server swaps in the other sample while the body is untouched, but keeps an edited body', async () => {
    const host = memoryHost();
    const store = createRequestStore(host.api, { debounceMs: 0 });
    await store.getState().setModel('/m');
    store.getState().setServer('mlflow');
    expect(store.getState().body).toBe(editorBody(samples.mlflow.body, 'application/json'));
    await tick();
    expect(store.getState().validation).toMatchObject({ status: 'done', result: { server: 'mlflow', ok: true } });

    store.getState().setBody('{"inputs": [1, 2]}');
    store.getState().setServer('azureml');
    expect(store.getState().body).toBe('{"inputs": [1, 2]}');
    await tick();
    expect(store.getState().validation).toMatchObject({ status: 'done', result: { ok: false, status: 400 } });

    store.getState().resetToSample();
    expect(store.getState().body).toBe(editorBody(samples.azureml.body, 'application/json'));
  });

  it('breaking a type gives the server status; typing is debounced into one request', async () => {
    const host = memoryHost();
    const store = createRequestStore(host.api, { debounceMs: 20 });
    await store.getState().setModel('/m');
    const before = host.calls.length;
    const broken = store.getState().body.replace('0.038', '"old"');
    for (let k = 1; k <= broken.length; k += Math.ceil(broken.length / 5)) store.getState().setBody(broken.slice(0, k));
    store.getState().setBody(broken);
    expect(store.getState().validation.status).toBe('validating');
    await new Promise((r) => setTimeout(r, 60));
    expect(host.calls.length - before).toBe(1);
    expect(store.getState().validation).toMatchObject({ status: 'done', result: { ok: false, status: 500 } });
  });

  it('an older answer never replaces a newer one', async () => {
    const host = memoryHost();
    const store = createRequestStore(host.api, { debounceMs: 0 });
    await store.getState().setModel('/m');
    host.holdNext();
    store.getState().setBody('not json');
    const slow = store.getState().validateNow();
    host.release();
    store.getState().setBody(samples.azureml.body);
    const fast = store.getState().validateNow();
    await Promise.all([slow, fast]);
    expect(store.getState().validation).toMatchObject({ status: 'done', result: { ok: true } });
  });

  it('no-header and MLflow-version overrides reach the host; a half-typed version is not sent', async () => {
    const host = memoryHost();
    const store = createRequestStore(host.api, { debounceMs: 0 });
    await store.getState().setModel('/m');
    store.getState().setNoContentType(true);
    await store.getState().validateNow();
    expect(host.calls.at(-1)).toMatchObject({ contentType: null });
    expect(store.getState().validation).toMatchObject({ result: { status: 415 } });

    const count = host.calls.length;
    store.getState().setMlflowVersion('2.');
    await tick();
    expect(host.calls.length).toBe(count);
    store.getState().setMlflowVersion('2.7');
    await tick();
    expect(host.calls.at(-1)).toMatchObject({ mlflowVersion: '2.7' });
    expect(store.getState().validation).toMatchObject({ result: { mlflow_version: { version: '2.7', source: 'override', behaviour: '2.7' } } });
  });

  it('a conversion replaces the body, selects the server it targets, and keeps its notes', async () => {
    const host = memoryHost({
      convert: { ok: true, body: samples.mlflow.body, contentType: 'application/json', from: 'azureml_split', warnings: [], notes: ['Columns kept in signature order.'] },
    });
    const store = createRequestStore(host.api, { debounceMs: 0 });
    await store.getState().setModel('/m');
    await store.getState().convertTo('dataframe_split');
    expect(store.getState()).toMatchObject({ body: editorBody(samples.mlflow.body, 'application/json'), server: 'mlflow', bodyIsSample: false, convert: { status: 'done', notes: ['Columns kept in signature order.'] } });
  });

  it('a conversion that fails leaves the body alone and says why', async () => {
    const host = memoryHost();
    const store = createRequestStore(host.api, { debounceMs: 0 });
    await store.getState().setModel('/m');
    await store.getState().convertTo('csv');
    expect(store.getState().body).toBe(editorBody(samples.azureml.body, 'application/json'));
    expect(store.getState().convert).toEqual({ status: 'failed', to: 'csv', message: 'nothing to convert', path: '$' });
  });

  it('a model the host cannot read shows its error instead of an answer', async () => {
    const host = memoryHost();
    const store = createRequestStore(host.api, { debounceMs: 0 });
    await store.getState().setModel('/gone');
    expect(store.getState().samples).toMatchObject({ status: 'error', error: { code: 'E_NOT_FOUND' } });
    expect(store.getState().validation).toMatchObject({ status: 'error', error: { code: 'E_NOT_FOUND', message: expect.stringContaining('/gone') } });
  });
});
