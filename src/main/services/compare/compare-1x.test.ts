import { describe, expect, it } from 'vitest';
import { convertRequest, validateRequest } from '@shared/mlflow/payload';
import type { Signature } from '@shared/mlflow/model-report';
import { CompareService, type CompareInput } from './compare-service';

/**
 * One request to a model pinning MLflow 1.x, sent to the local runner on both profiles (docs/fidelity.md §15
 * "1.x in convert/playground/validate"): the MLflow target gets the body in a form the 1.x server reads (before,
 * an Azure body was converted to dataframe_split, which 1.x refuses), Azure's form stays Azure's. The payload
 * service and the runner are played by the real engine (convertRequest, validateRequest) for a 1.28.0 pin.
 */
const signature: Signature = {
  inputs: { kind: 'columns', columns: ['a', 'b'].map((name) => ({ name, type: { type: 'double' as const }, required: true, display: 'double' })) },
  outputs: null,
  params: null,
  raw: { inputs: null, outputs: null, params: null },
};
const PIN = '1.28.0';

function host() {
  const sent: { server: string; body: string; contentType: string | null; ok: boolean; receives: unknown }[] = [];
  const payload = {
    async convert(input: { body: string; contentType: string | null; to: never; mlflowVersion?: string | null }) {
      return convertRequest({ ...input, signature, mlmodelVersion: PIN, mlflowVersion: input.mlflowVersion ?? null });
    },
  } as unknown as ConstructorParameters<typeof CompareService>[0]['payload'];
  const runner = {
    async predict(r: { body: string; contentType: string | null; server: 'azureml' | 'mlflow'; mlflowVersion: string | null }) {
      const v = validateRequest({ body: r.body, contentType: r.contentType, server: r.server, mlflowVersion: r.mlflowVersion, mlmodelVersion: PIN, signature });
      sent.push({ server: r.server, body: r.body, contentType: r.contentType, ok: v.ok, receives: v.model_receives });
      return { status: v.ok ? 200 : v.status, headers: {}, body_text: '[1.0]', body: [1.0], server_log: null, engine: 'python', loader: null };
    },
  } as unknown as ConstructorParameters<typeof CompareService>[0]['runner'];
  return { compare: new CompareService({ payload, runner }), sent };
}

const input = (body: string, contentType: string, mlflowVersion: string | null = null): CompareInput => ({
  modelPath: '/m',
  body,
  contentType,
  targets: [{ kind: 'local', server: 'azureml' }, { kind: 'local', server: 'mlflow' }],
  headers: [],
  tolerance: { abs: 1e-6, rel: 1e-6 },
  timeoutMs: 5_000,
  ...(mlflowVersion ? { mlflowVersion } : {}),
});

const AZURE = '{"input_data": {"columns": ["a", "b"], "index": [0, 1], "data": [[1.0, 2.0], [3.0, 4.0]]}}';

describe('compare for a model pinning MLflow 1.x', () => {
  it("an Azure body: Azure's target gets it as written, the MLflow target the 1.x split form its server accepts", async () => {
    const h = host();
    const r = await h.compare.run(input(AZURE, 'application/json'));
    const ml = r.targets.find((t) => t.name === 'local:mlflow')!;
    expect(ml.request).toMatchObject({ converted: true, from: 'azureml_split', to: 'mlflow1_split', headers: { 'content-type': 'application/json; format=pandas-split' } });
    expect(ml.request.body).toBe('{"columns": ["a", "b"], "index": [0, 1], "data": [[1.0, 2.0], [3.0, 4.0]]}');
    expect(r.targets.find((t) => t.name === 'local:azureml')!.request).toMatchObject({ converted: false, body: AZURE });
    expect(h.sent.find((s) => s.server === 'mlflow')).toMatchObject({ ok: true, receives: { kind: 'DataFrame', columns: ['a', 'b'], nrows: 2 } });
  });

  it.each([
    ['a bare split body', '{"columns": ["a", "b"], "data": [[1.0, 2.0]]}', 'application/json'],
    ['a records body', '[{"a": 1.0, "b": 2.0}]', 'application/json; format=pandas-records'],
    ['TF serving inputs', '{"inputs": {"a": [1.0], "b": [2.0]}}', 'application/json'],
  ])('%s is sent to the 1.x MLflow target as written and converted for Azure', async (_name, body, ct) => {
    const h = host();
    const r = await h.compare.run(input(body, ct));
    expect(r.targets.find((t) => t.name === 'local:mlflow')!.request).toMatchObject({ converted: false, body, headers: { 'content-type': ct } });
    expect(r.targets.find((t) => t.name === 'local:azureml')!.request).toMatchObject({ converted: true, to: 'azureml' });
    expect(h.sent.find((s) => s.server === 'mlflow')).toMatchObject({ ok: true });
  });

  it('a 2.x envelope is converted to the 1.x form for the 1.x target; with --mlflow-version 2.12 it goes as written', async () => {
    const env = '{"dataframe_split": {"columns": ["a", "b"], "data": [[1.0, 2.0]]}}';
    const h = host();
    const r = await h.compare.run(input(env, 'application/json'));
    expect(r.targets.find((t) => t.name === 'local:mlflow')!.request).toMatchObject({ converted: true, to: 'mlflow1_split' });
    expect(h.sent.find((s) => s.server === 'mlflow')).toMatchObject({ ok: true });
    const h2 = host();
    const r2 = await h2.compare.run(input(AZURE, 'application/json', '2.12.2'));
    expect(r2.targets.find((t) => t.name === 'local:mlflow')!.request).toMatchObject({ converted: true, to: 'dataframe_split', headers: { 'content-type': 'application/json' } });
    expect(h2.sent.find((s) => s.server === 'mlflow')).toMatchObject({ ok: true });
  });
});
