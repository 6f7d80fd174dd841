import { describe, expect, it, vi } from 'vitest';
import { verdict } from '@shared/compare/verdict';
import { HISTORY_BODY_CAP, type CompareInputData, type CompareResultData } from '@shared/ipc/compare-contract';
import { ConversionResultSchema, ValidationResultSchema } from '@shared/ipc/contract';
import type { Signature } from '@shared/mlflow/model-report';
import { convertRequest, samplePayloads, validateRequest } from '@shared/mlflow/payload';
import { createPlaygroundStore, currentDraft, formatsOf, requestForServer, runIsStale, targetsOf } from './playground-store';
import type { DraftKeeper, KeptDrafts } from './session-drafts';
import { detectFormat, FORMATS, FORMATS_1X } from './formats';

/**
 * The store against an in-memory host whose payload methods are the real shared engine (the code main runs) on
 * the diabetes signature; `compare.run` records what the store sends and answers with a real verdict.
 */
const COLUMNS = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'];
const signature: Signature = {
  inputs: { kind: 'columns', columns: COLUMNS.map((name) => ({ name, type: { type: 'double' as const }, required: true, display: 'double' })) },
  outputs: null,
  params: null,
  raw: { inputs: null, outputs: null, params: null },
};
const row = [0.038, 0.05, 0.061, 0.021, -0.044, -0.034, -0.043, -0.002, 0.019, -0.017];
const azureBody = JSON.stringify({ input_data: { columns: COLUMNS, data: [row] } });

/** `version`: the MLflow version the model pins (MLmodel's mlflow_version), which the engine's answers follow. */
function memoryHost(version = '2.16.2') {
  const sent: CompareInputData[] = [];
  const validated: string[] = [];
  const cancelled: string[] = [];
  /** While set, validations wait for it (a large body's validation takes seconds in the app). */
  let hold: Promise<void> | null = null;
  let samplesCalls = 0;
  const api = {
    payload: {
      async validate(input: { modelPath: string; body: string; server: 'azureml' | 'mlflow'; contentType: string | null; mlflowVersion?: string | null; opId?: string }) {
        validated.push(input.server);
        const { opId: _opId, ...request } = input;
        if (hold) await hold;
        return ValidationResultSchema.parse(validateRequest({ ...request, mlflowVersion: input.mlflowVersion ?? null, mlmodelVersion: version, signature }));
      },
      async cancel({ opId }: { opId: string }) {
        cancelled.push(opId);
        return { cancelled: true };
      },
      async samples(input: { modelPath: string; mlflowVersion?: string | null }) {
        samplesCalls++;
        const sample = { body: azureBody, contentType: 'application/json', source: 'input_example' as const, note: 'From input_example.json.' };
        // the MLflow sample as the engine writes it for the pinned (or chosen) version (1.x: the bare split dict)
        const { mlflow, mlflow_version } = samplePayloads({ signature, inputExample: null, servingInputExample: null, mlmodelVersion: version, mlflowVersion: input.mlflowVersion ?? null });
        return { azureml: sample, mlflow, mlflow_version };
      },
      async convert(input: { body: string; contentType: string | null; to: Parameters<typeof convertRequest>[0]['to']; mlflowVersion?: string | null }) {
        return ConversionResultSchema.parse(convertRequest({ body: input.body, contentType: input.contentType, to: input.to, signature, mlmodelVersion: version, mlflowVersion: input.mlflowVersion ?? null }));
      },
    },
    compare: {
      async run(input: CompareInputData): Promise<CompareResultData> {
        sent.push(input);
        const v = verdict(input.targets.map((t) => ({ name: t.kind === 'local' ? `local:${t.server}` : t.kind === 'url' ? t.url : t.endpoint, status: 200, body: [1.5], json: true })), { tolerance: input.tolerance! });
        return { targets: [], verdict: v };
      },
      async cancel() {
        return { cancelled: false };
      },
      async history() {
        return { entries: [], total: 0, kept: 0 };
      },
    },
  };
  return {
    api: api as unknown as Parameters<typeof createPlaygroundStore>[0],
    sent,
    validated,
    cancelled,
    samplesCalls: () => samplesCalls,
    /** Validations from now on wait until the returned function is called. */
    holdValidations(): () => void {
      let release!: () => void;
      hold = new Promise((r) => (release = r));
      return () => {
        hold = null;
        release();
      };
    },
  };
}

describe('playground store', () => {
  it('fills from the example, validates against the server whose form the body is in, and converts', async () => {
    const host = memoryHost();
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    await vi.waitFor(() => expect(store.getState().validation.status).toBe('done'));
    expect(currentDraft(store.getState()).body).toContain('"input_data"');
    expect(host.validated.at(-1)).toBe('azureml');

    await store.getState().switchFormat('dataframe_records');
    expect(currentDraft(store.getState()).body).toContain('"dataframe_records"');
    await vi.waitFor(() => expect(store.getState().validation.status).toBe('done'));
    expect(host.validated.at(-1)).toBe('mlflow');
    const v = store.getState().validation;
    expect(v.status === 'done' && v.result.ok).toBe(true);

    // A broken value: the engine's answer is a rejection for the text shown.
    store.getState().setBody(currentDraft(store.getState()).body.replace('0.038', '"oops"'));
    expect(store.getState().validation.status).toBe('pending');
    await vi.waitFor(() => expect(store.getState().validation.status).toBe('done'));
    const broken = store.getState().validation;
    expect(broken.status === 'done' && broken.result.ok).toBe(false);

    // the edited text is the user's: filling asks first (see 'no lost work' below)
    const filling = store.getState().fillFromExample();
    store.getState().answerReplace(true);
    await filling;
    expect(currentDraft(store.getState()).body).toContain('"input_data"');
  });

  it('a validation still running when the text changes again is cancelled, and only the newest text\'s answer is shown', async () => {
    const host = memoryHost();
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    await vi.waitFor(() => expect(store.getState().validation.status).toBe('done'));
    expect(host.cancelled).toEqual([]); // nothing was running: nothing to cancel

    const release = host.holdValidations();
    const calls = host.validated.length;
    store.getState().setBody(currentDraft(store.getState()).body.replace('0.038', '"oops"'));
    await vi.waitFor(() => expect(host.validated.length).toBe(calls + 1)); // the first edit's validation runs (held)
    const fixed = currentDraft(store.getState()).body.replace('"oops"', '0.5');
    store.getState().setBody(fixed);
    // the second edit's validation cancels the first's, by the opId it was started with
    await vi.waitFor(() => expect(host.validated.length).toBe(calls + 2));
    expect(host.cancelled).toHaveLength(1);
    expect(host.cancelled[0]).toMatch(/^validate-/);
    release();
    await vi.waitFor(() => expect(store.getState().validation.status).toBe('done'));
    const v = store.getState().validation;
    expect(v.status === 'done' && v.forBody).toBe(fixed);
    expect(v.status === 'done' && v.result.ok).toBe(true);
    expect(host.cancelled).toHaveLength(1); // the answered one is not cancelled afterwards
  });

  it('sends the checked targets, URL targets with their server, named headers only, and the tolerance', async () => {
    const host = memoryHost();
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    const s = store.getState();
    s.addUrl();
    const id = store.getState().urls[0]!.id;
    s.updateUrl(id, { server: 'mlflow', url: 'http://127.0.0.1:5000/invocations' });
    s.addHeader();
    s.addHeader();
    const [h1] = store.getState().headers;
    s.updateHeader(h1!.id, { name: ' Authorization ', value: 'Bearer k' });
    s.setTolerance('1e-3');
    await s.send();
    const input = host.sent[0]!;
    expect(input.targets).toEqual([
      { kind: 'local', server: 'azureml' },
      { kind: 'local', server: 'mlflow' },
      { kind: 'url', server: 'mlflow', url: 'http://127.0.0.1:5000/invocations' },
    ]);
    expect(input.headers).toEqual([{ name: 'Authorization', value: 'Bearer k' }]);
    expect(input.tolerance).toEqual({ abs: 1e-3, rel: 1e-3 });
    const run = store.getState().run;
    expect(run.status === 'done' && run.result.verdict.agree).toBe(true);
  });

  it('refuses to send with a bad tolerance or no target, saying why', async () => {
    const host = memoryHost();
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    store.getState().setTolerance('tiny');
    await store.getState().send();
    const r = store.getState().run;
    expect(r.status === 'error' && r.error.message).toContain('"tiny" is not a non-negative number');
    expect(targetsOf({ local: { azureml: false, mlflow: false }, urls: [] })).toEqual({ ok: false, message: 'Choose at least one target.' });
    expect(targetsOf({ local: { azureml: false, mlflow: false }, urls: [{ id: 'u', server: 'azureml', url: 'not a url' }] }).ok).toBe(false);
    expect(host.sent).toHaveLength(0);
  });

  it('asks for the model\'s samples once per model, however often the tab is shown', async () => {
    const host = memoryHost();
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    await store.getState().setModel('/m');
    expect(host.samplesCalls()).toBe(1);
    await store.getState().setModel('/other');
    expect(host.samplesCalls()).toBe(2);
  });

  it('a saved request and a history entry put back the same targets; the saved one its named headers too', async () => {
    const host = memoryHost();
    const first = createPlaygroundStore(host.api);
    await first.getState().setModel('/m');
    const s = first.getState();
    s.toggleLocal('mlflow');
    s.addUrl();
    s.updateUrl(first.getState().urls[0]!.id, { server: 'mlflow', url: 'http://127.0.0.1:5000/invocations' });
    s.addHeader();
    s.addHeader();
    s.updateHeader(first.getState().headers[0]!.id, { name: ' x-team ', value: 'blue' });
    s.setTolerance('0.01');
    const saved = first.getState().toSaved('mine')!;
    expect(saved.headers).toEqual([{ name: 'x-team', value: 'blue' }]);

    const second = createPlaygroundStore(host.api);
    await second.getState().setModel('/m');
    second.getState().applySaved(saved);
    const shown = (st: typeof second) => ({ local: st.getState().local, urls: st.getState().urls.map(({ server, url }) => ({ server, url })), tolerance: st.getState().tolerance });
    const expected = { local: { azureml: true, mlflow: false }, urls: [{ server: 'mlflow', url: 'http://127.0.0.1:5000/invocations' }], tolerance: '0.01' };
    expect(shown(second)).toEqual(expected);
    expect(second.getState().headers.map(({ name, value }) => ({ name, value }))).toEqual([{ name: 'x-team', value: 'blue' }]);

    const third = createPlaygroundStore(host.api);
    await third.getState().setModel('/m');
    third.getState().reopen({ id: 'h1', time: 't', modelPath: '/m', body: saved.body, contentType: saved.contentType, targets: saved.targets, tolerance: saved.tolerance, agree: true, kind: 'same', sentence: '', statuses: [] });
    expect(shown(third)).toEqual(expected);
    expect(saved.mlflowVersion).toBeUndefined();
  });

  it('opening a saved request keeps the key the user typed for a secret header the file left out', async () => {
    const host = memoryHost();
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    store.getState().addHeader();
    store.getState().updateHeader(store.getState().headers[0]!.id, { name: 'Authorization', value: 'Bearer typed-key' });
    const saved = { ...store.getState().toSaved('with key')!, headers: [{ name: 'authorization', value: null }, { name: 'x-team', value: 'blue' }] };
    await store.getState().applySaved(saved);
    expect(store.getState().headers.map(({ name, value }) => ({ name, value }))).toEqual([
      { name: 'authorization', value: 'Bearer typed-key' },
      { name: 'x-team', value: 'blue' },
    ]);
  });

  it('a saved request and a history entry bring back the MLflow version they were made for; one without goes back to the pin', async () => {
    const host = memoryHost('1.28.0');
    const first = createPlaygroundStore(host.api);
    await first.getState().setModel('/m');
    await first.getState().setMlflowVersion('2.12.2');
    const saved = first.getState().toSaved('on 2.12')!;
    expect(saved.mlflowVersion).toBe('2.12.2');

    const second = createPlaygroundStore(host.api);
    await second.getState().setModel('/m');
    second.getState().applySaved(saved);
    await vi.waitFor(() => expect(second.getState().mlflowTarget?.version).toBe('2.12.2'));
    expect(second.getState().mlflowVersion).toBe('2.12.2');
    expect(second.getState().tolerance).toBe('1e-6');
    expect(formatsOf(second.getState())).toBe(FORMATS);

    const entry = { id: 'h1', time: 't', modelPath: '/m', body: saved.body, contentType: saved.contentType, targets: saved.targets, tolerance: saved.tolerance, agree: true, kind: 'same', sentence: '', statuses: [] };
    second.getState().reopen({ ...entry, mlflowVersion: null });
    await vi.waitFor(() => expect(second.getState().mlflowTarget?.version).toBe('1.28.0'));
    expect(second.getState().mlflowVersion).toBeNull();
    second.getState().reopen({ ...entry, mlflowVersion: '2.7.1' });
    await vi.waitFor(() => expect(second.getState().mlflowTarget?.version).toBe('2.7.1'));
  });

  it('a local server\'s curl gets the editor\'s request in its own form, else the example written for it', async () => {
    const host = memoryHost();
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    store.getState().setBody(currentDraft(store.getState()).body.replace('0.038', '0.5'));
    expect(requestForServer(store.getState(), 'azureml')).toMatchObject({ from: 'editor', contentType: 'application/json' });
    expect(requestForServer(store.getState(), 'azureml')!.body).toContain('0.5');
    expect(requestForServer(store.getState(), 'mlflow')).toMatchObject({ from: 'example' });
    expect(requestForServer(store.getState(), 'mlflow')!.body).toContain('"dataframe_split"');
    await store.getState().switchFormat('csv');
    expect(requestForServer(store.getState(), 'mlflow')).toMatchObject({ from: 'editor', contentType: 'text/csv' });
    expect(requestForServer(store.getState(), 'mlflow')!.body).toMatch(/^age,sex,/);
  });

  it('a model pinning MLflow 1.x: the switch offers the 1.x forms, each written with the Content-Type its server needs and accepted by it', async () => {
    const host = memoryHost('1.28.0');
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    expect(store.getState().mlflowTarget).toMatchObject({ version: '1.28.0', behaviour: '1.x' });
    expect(formatsOf(store.getState())).toBe(FORMATS_1X);
    const mlflowOk = async () => {
      await vi.waitFor(() => expect(store.getState().validation.status).toBe('done'));
      const v = store.getState().validation;
      expect(host.validated.at(-1)).toBe('mlflow');
      expect(v.status === 'done' && v.result.ok, JSON.stringify(v.status === 'done' && v.result.body)).toBe(true);
    };

    await store.getState().switchFormat('mlflow1_split');
    expect(currentDraft(store.getState()).contentType).toBe('application/json; format=pandas-split');
    expect(JSON.parse(currentDraft(store.getState()).body)).toEqual({ columns: COLUMNS, data: [row] });
    expect(detectFormat(currentDraft(store.getState()).body, currentDraft(store.getState()).contentType)).toBe('mlflow1_split');
    await mlflowOk();

    await store.getState().switchFormat('mlflow1_records');
    expect(currentDraft(store.getState())).toMatchObject({ contentType: 'application/json; format=pandas-records' });
    expect(JSON.parse(currentDraft(store.getState()).body)).toEqual([Object.fromEntries(COLUMNS.map((c, k) => [c, row[k]]))]);
    await mlflowOk();

    // the shortcut cycles through the 1.x list: records → instances → inputs → csv → azureml → split
    for (const next of ['instances', 'inputs', 'csv', 'azureml', 'mlflow1_split'] as const) {
      await store.getState().switchToNextFormat();
      const d = currentDraft(store.getState());
      expect(detectFormat(d.body, d.contentType)).toBe(next);
      if (next !== 'azureml') await mlflowOk();
    }
    // the editor's request goes out with its Content-Type (the compare service converts per target)
    await store.getState().send();
    expect(host.sent.at(-1)).toMatchObject({ contentType: 'application/json; format=pandas-split' });
    expect(requestForServer(store.getState(), 'mlflow')).toMatchObject({ from: 'editor', contentType: 'application/json; format=pandas-split' });
    // a 2.x envelope in the editor is not this server's form: the local 1.x server's curl sends the 1.x example instead
    await store.getState().switchFormat('dataframe_split');
    expect(store.getState().conversion?.warnings.map((w) => w.code)).toContain('form-not-read-by-version');
    expect(requestForServer(store.getState(), 'mlflow')).toMatchObject({ from: 'example', contentType: 'application/json' });
    expect(requestForServer(store.getState(), 'mlflow')!.body).toMatch(/^\{\n {2}"columns": \[/);
  });

  it('CSV pasted over the JSON body is CSV: validated by MLflow, sent as text/csv, and JSON pasted back is JSON again', async () => {
    const host = memoryHost();
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    await vi.waitFor(() => expect(store.getState().validation.status).toBe('done'));
    const csv = `${COLUMNS.join(',')}\n${row.join(',')}\n`;
    store.getState().setBody(csv);
    expect(currentDraft(store.getState())).toEqual({ body: csv, contentType: 'text/csv' });
    expect(detectFormat(csv, currentDraft(store.getState()).contentType)).toBe('csv');
    await vi.waitFor(() => {
      const v = store.getState().validation;
      expect(v.status === 'done' && v.result.server === 'mlflow' && v.result.ok && v.result.status).toBe(200);
    });
    await store.getState().send();
    expect(host.sent.at(-1)).toMatchObject({ body: csv, contentType: 'text/csv' });
    // the format switch converts it like any other form
    await store.getState().switchFormat('azureml');
    expect(currentDraft(store.getState()).body).toContain('"input_data"');
    // pasting JSON over CSV makes it JSON again
    store.getState().setBody(csv);
    store.getState().setBody(azureBody);
    expect(currentDraft(store.getState()).contentType).toBe('application/json');
  });
  it('typing keeps the Content-Type: a JSON body that lost its brace, a word, an empty editor', async () => {
    const host = memoryHost();
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    for (const body of ['"input_data": {"columns": ["age", "sex"]}', 'input_data": {"columns": ["age", "sex"]', 'hello', '']) {
      store.getState().setBody(body);
      expect(currentDraft(store.getState()).contentType, body).toBe('application/json');
    }
  });
  it('a 2.x model keeps the 2.x forms; a 1.x body there is named and converts back to an envelope', async () => {
    const host = memoryHost();
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    expect(formatsOf(store.getState())).toBe(FORMATS);
    store.getState().setBody(JSON.stringify({ columns: COLUMNS, data: [row] }));
    expect(detectFormat(currentDraft(store.getState()).body, null)).toBe('mlflow1_split');
    await store.getState().switchFormat('dataframe_split');
    expect(currentDraft(store.getState()).body).toContain('"dataframe_split"');
    expect(store.getState().conversion?.notes.join(' ')).toContain('Upgraded an MLflow 1.x body');
  });
  it('another MLflow version than the pin: the switch, the validation and the send follow it; a non-version is refused; null goes back to the pin', async () => {
    const host = memoryHost('1.28.0');
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    await vi.waitFor(() => expect(store.getState().validation.status).toBe('done'));
    expect(formatsOf(store.getState())).toBe(FORMATS_1X);

    await store.getState().setMlflowVersion('2.12.2');
    await vi.waitFor(() => expect(store.getState().mlflowTarget?.version).toBe('2.12.2'));
    expect(formatsOf(store.getState())).toBe(FORMATS);
    await vi.waitFor(() => {
      const v = store.getState().validation;
      expect(v.status === 'done' && v.result.mlflow_version.version).toBe('2.12.2');
    });
    // the 2.x envelope is what this version's server reads, and it accepts it
    await store.getState().switchFormat('dataframe_split');
    expect(currentDraft(store.getState()).body).toContain('"dataframe_split"');
    await vi.waitFor(() => {
      const v = store.getState().validation;
      expect(v.status === 'done' && v.result.server === 'mlflow' && v.result.ok).toBe(true);
    });
    await store.getState().send();
    expect(host.sent.at(-1)!.mlflowVersion).toBe('2.12.2');

    await store.getState().setMlflowVersion('two point twelve');
    expect(store.getState().versionError).toContain('"two point twelve" is not an MLflow version');
    expect(store.getState().mlflowVersion).toBe('2.12.2');
    // the field and the version in force disagree: nothing is sent until the user decides
    const sentBefore = host.sent.length;
    await store.getState().send();
    const refused = store.getState().run;
    expect(refused.status === 'error' && refused.error.message).toContain('Nothing was sent.');
    expect(host.sent).toHaveLength(sentBefore);

    await store.getState().setMlflowVersion(null);
    await vi.waitFor(() => expect(store.getState().mlflowTarget?.version).toBe('1.28.0'));
    expect(store.getState().versionError).toBeNull();
    expect(formatsOf(store.getState())).toBe(FORMATS_1X);
    await store.getState().send();
    expect(host.sent.at(-1)!.mlflowVersion).toBeNull();
  });
  it("a send's answer lands only on its own card; an answer for an older version never replaces the new one's", async () => {
    const host = memoryHost('1.28.0');
    const api = host.api as unknown as { compare: { run(i: CompareInputData): Promise<CompareResultData> }; payload: { validate(i: unknown): Promise<unknown> } };
    // compare.run and payload.validate held until released, to finish in the order the test says
    const held: { release(): void }[] = [];
    const hold = <A, R>(f: (a: A) => Promise<R>) => (a: A): Promise<R> =>
      new Promise<R>((resolve, reject) => held.push({ release: () => void f(a).then(resolve, reject) }));
    const realRun = api.compare.run.bind(api.compare);
    api.compare.run = hold(realRun);
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    await vi.waitFor(() => expect(held.length).toBe(0));
    // a validation is held; then another version is chosen: the held answer (1.28.0) must not come back over 2.12.2
    const realValidate = api.payload.validate.bind(api.payload);
    api.payload.validate = hold(realValidate);
    store.getState().setBody(currentDraft(store.getState()).body.replace('0.038', '0.04'));
    await vi.waitFor(() => expect(held).toHaveLength(1));
    const oldValidation = held.shift()!;
    api.payload.validate = realValidate;
    await store.getState().setMlflowVersion('2.12.2');
    await vi.waitFor(() => expect(store.getState().validation.status).toBe('done'));
    oldValidation.release();
    await new Promise((r) => setTimeout(r, 20));
    expect(store.getState().mlflowTarget?.version).toBe('2.12.2');
    const v = store.getState().validation;
    expect(v.status === 'done' && v.result.mlflow_version.version).toBe('2.12.2');

    // send A is held; choosing a version while it runs keeps its card running (Cancel stays)
    const a = store.getState().send();
    await vi.waitFor(() => expect(held).toHaveLength(1));
    await store.getState().setMlflowVersion('2.7.1');
    expect(store.getState().run.status).toBe('running');
    const sendA = held.shift()!;
    // another model clears the card; send B answers first, then A: B's answer stays
    await store.getState().setModel('/other');
    const b = store.getState().send();
    await vi.waitFor(() => expect(held).toHaveLength(1));
    held.shift()!.release();
    await b;
    const shownB = store.getState().run;
    expect(shownB.status).toBe('done');
    sendA.release();
    await a;
    expect(store.getState().run).toBe(shownB);
  });
});

describe('no lost work: replacing the editor text the user has not saved or sent asks first', () => {
  const edited = (store: ReturnType<typeof createPlaygroundStore>): string => {
    const body = currentDraft(store.getState()).body.replace(/\d/, (d) => (d === '9' ? '8' : '9'));
    store.getState().setBody(body);
    return body;
  };
  const entry = { id: 'h1', time: '2026-01-01T00:00:00Z', modelPath: '/m', body: '{"input_data": {"columns": ["age"], "data": [[1]]}}', contentType: 'application/json', targets: [], tolerance: { abs: 1e-6, rel: 1e-6 }, agree: true, kind: 'same', sentence: '', statuses: [] };
  const saved = { name: 'other', body: '{"dataframe_split": {"columns": ["x"], "data": [[1]]}}', contentType: 'application/json', targets: [{ kind: 'local' as const, server: 'mlflow' as const }], headers: [], tolerance: { abs: 0, rel: 0 } };
  const curl = `curl -X POST 'https://ep.inference.ml.azure.com/score' -H 'Content-Type: application/json' -d '{"input_data": {"columns": ["age"], "data": [[2]]}}'`;

  it('text as loaded is replaced at once; typed text is asked about, and "keep" changes nothing', async () => {
    const store = createPlaygroundStore(memoryHost().api);
    await store.getState().setModel('/m');
    // as loaded (the example): no question
    expect(await store.getState().reopen(entry)).toBe(true);
    expect(store.getState().replaceAsk).toBeNull();
    expect(currentDraft(store.getState()).body).toContain('[\n        1\n      ]');

    const mine = edited(store);
    const local = store.getState().local;
    for (const [start, what] of [
      [() => store.getState().fillFromExample(), 'Fill from input example'],
      [() => store.getState().applySaved(saved), 'Open "other"'],
      [() => store.getState().reopen(entry), /^Open the run of .* from the history$/],
      [() => store.getState().importCurl(curl), 'Import from curl'],
    ] as const) {
      const pending = start();
      expect(store.getState().replaceAsk?.what).toEqual(typeof what === 'string' ? what : expect.stringMatching(what));
      store.getState().answerReplace(false);
      await pending;
      expect(store.getState().replaceAsk).toBeNull();
      expect(currentDraft(store.getState()).body).toBe(mine);
    }
    // a declined import adds no target either; a declined open leaves the targets alone
    expect(store.getState().urls).toEqual([]);
    expect(store.getState().local).toBe(local);

    const importing = store.getState().importCurl(curl);
    store.getState().answerReplace(true);
    expect((await importing)?.ok).toBe(true);
    expect(currentDraft(store.getState()).body).toContain('"input_data"');
    expect(store.getState().urls).toHaveLength(1);
    // what was just imported is loaded text: the next replacement does not ask
    await store.getState().fillFromExample();
    expect(store.getState().replaceAsk).toBeNull();
  });

  it('sent or saved text counts as kept; a format switch keeps typed text unsaved', async () => {
    const host = memoryHost();
    const api = { ...host.api, collections: { save: async () => ({ file: 'mine.request.json', secretsLeftOut: [] }), list: async () => ({ folder: '/f', entries: [], problems: [] }) } } as unknown as Parameters<typeof createPlaygroundStore>[0];
    const store = createPlaygroundStore(api);
    await store.getState().setModel('/m');
    edited(store);
    await store.getState().send();
    await store.getState().fillFromExample();
    expect(store.getState().replaceAsk).toBeNull();

    edited(store);
    store.getState().collections.getState().setFolder('/f');
    await store.getState().saveRequest('mine', false);
    await store.getState().fillFromExample();
    expect(store.getState().replaceAsk).toBeNull();

    // the same typed request in another form is still the user's unsaved work
    edited(store);
    await store.getState().switchFormat('dataframe_split');
    const pending = store.getState().fillFromExample();
    expect(store.getState().replaceAsk?.what).toBe('Fill from input example');
    store.getState().answerReplace(false);
    await pending;
    expect(currentDraft(store.getState()).body).toContain('"dataframe_split"');
    // ...and loaded text converted stays loaded
    const filling = store.getState().fillFromExample();
    store.getState().answerReplace(true);
    await filling;
    await store.getState().switchFormat('dataframe_records');
    await store.getState().fillFromExample();
    expect(store.getState().replaceAsk).toBeNull();
  });

  it('a send the history does not keep (it failed, or the body is over its cap) leaves typed text unsaved', async () => {
    const host = memoryHost();
    let fail = true;
    const run = host.api.compare.run.bind(host.api.compare);
    const api = { ...host.api, compare: { ...host.api.compare, run: async (input: CompareInputData) => (fail ? Promise.reject(new Error('no target answered')) : run(input)) } } as unknown as Parameters<typeof createPlaygroundStore>[0];
    const store = createPlaygroundStore(api);
    await store.getState().setModel('/m');
    edited(store);
    await store.getState().send();
    expect(store.getState().run.status).toBe('error');
    const asked = store.getState().fillFromExample();
    expect(store.getState().replaceAsk).not.toBeNull();
    store.getState().answerReplace(false);
    await asked;

    fail = false;
    store.getState().setBody(`${currentDraft(store.getState()).body}${' '.repeat(HISTORY_BODY_CAP)}`);
    await store.getState().send();
    expect(store.getState().run.status).toBe('done');
    const again = store.getState().fillFromExample();
    expect(store.getState().replaceAsk).not.toBeNull();
    store.getState().answerReplace(false);
    await again;
  });

  it('the grid applies over the text it was read from without asking; over text typed since, it asks', async () => {
    const store = createPlaygroundStore(memoryHost().api);
    await store.getState().setModel('/m');
    const mine = edited(store);
    await store.getState().openGrid(COLUMNS);
    const g = store.getState().grid!;
    store.getState().setGrid({ ...g, rows: g.rows.map((r) => r.map((c, k) => (k === 0 ? '0.9' : c))) });
    await store.getState().applyGrid();
    expect(store.getState().replaceAsk).toBeNull();
    expect(currentDraft(store.getState()).body).toContain('0.9');
    // the grid's edits are unsaved work too
    const typed = currentDraft(store.getState()).body.replace('0.9', '0.7');
    store.getState().setBody(typed);
    const applying = store.getState().applyGrid();
    expect(store.getState().replaceAsk?.what).toBe('Apply the grid to the editor');
    store.getState().answerReplace(false);
    await applying;
    expect(currentDraft(store.getState()).body).toBe(typed);
    expect(mine).not.toBe(typed);
  });

  it('another model withdraws the question and keeps the text in its own draft; a second question answers the first "keep"', async () => {
    const store = createPlaygroundStore(memoryHost().api);
    await store.getState().setModel('/m');
    const mine = edited(store);
    const first = store.getState().fillFromExample();
    const second = store.getState().reopen(entry);
    expect(await first).toBeUndefined();
    expect(store.getState().replaceAsk?.what).toMatch(/from the history/);
    await store.getState().setModel('/other');
    expect(store.getState().replaceAsk).toBeNull();
    expect(await second).toBe(false);
    await store.getState().setModel('/m');
    expect(currentDraft(store.getState()).body).toBe(mine);
  });
});

describe('no lost work: the targets and headers the user changed are asked about too, and come back with "Undo replace"', () => {
  type Store = ReturnType<typeof createPlaygroundStore>;
  const MINE = 'https://mine.example.com/score';
  const smoke = {
    name: 'smoke',
    body: '{"input_data": {"columns": ["age"], "data": [[3]]}}',
    contentType: 'application/json',
    targets: [{ kind: 'local' as const, server: 'mlflow' as const }, { kind: 'url' as const, server: 'azureml' as const, url: 'https://team.example.com/score' }],
    headers: [{ name: 'x-team', value: 'blue' }],
    tolerance: { abs: 1e-6, rel: 1e-6 },
  };
  const run = { id: 'h1', time: '2026-01-01T00:00:00Z', modelPath: '/m', body: smoke.body, contentType: 'application/json', targets: smoke.targets, tolerance: smoke.tolerance, agree: true, kind: 'same', sentence: '', statuses: [] };
  /** As a user does it: + URL target, the URL typed; + header, its name and value typed. */
  const typeSetup = (store: Store, header = { name: 'X-Trace', value: 'trace-1' }): void => {
    store.getState().addUrl();
    store.getState().updateUrl(store.getState().urls.at(-1)!.id, { url: MINE });
    store.getState().addHeader();
    store.getState().updateHeader(store.getState().headers.at(-1)!.id, header);
  };
  const setupShown = (store: Store) => ({
    local: store.getState().local,
    urls: store.getState().urls.map(({ server, url }) => ({ server, url })),
    headers: store.getState().headers.map(({ name, value }) => ({ name, value })),
  });
  const ready = async (api = memoryHost().api): Promise<Store> => {
    const store = createPlaygroundStore(api);
    await store.getState().setModel('/m');
    return store;
  };

  it('opening a saved request over a typed URL target and header asks, naming only them; "keep" changes nothing', async () => {
    const store = await ready();
    typeSetup(store);
    const mine = setupShown(store);
    const body = currentDraft(store.getState()).body;
    const opening = store.getState().applySaved(smoke);
    // the body is as loaded (the example): only the targets and headers are at stake, the URL and the header by name, never its value
    expect(store.getState().replaceAsk).toEqual({ modelPath: '/m', what: 'Open "smoke"', losing: { text: false, targets: [`azureml:${MINE}`], headers: ['X-Trace'] } });
    store.getState().answerReplace(false);
    expect(await opening).toBe(false);
    expect(setupShown(store)).toEqual(mine);
    expect(currentDraft(store.getState()).body).toBe(body);
    expect(store.getState().replaced).toBeNull();
  });

  it('after "Replace", Undo replace puts the typed targets and headers back, and they are still the user\'s (asked about again)', async () => {
    const store = await ready();
    store.getState().toggleLocal('mlflow');
    typeSetup(store);
    const mine = setupShown(store);
    const opening = store.getState().applySaved(smoke);
    expect(store.getState().replaceAsk?.losing.targets).toEqual(['local:mlflow (unchecked)', `azureml:${MINE}`]);
    store.getState().answerReplace(true);
    expect(await opening).toBe(true);
    expect(setupShown(store)).toEqual({ local: { azureml: false, mlflow: true }, urls: [{ server: 'azureml', url: 'https://team.example.com/score' }], headers: [{ name: 'x-team', value: 'blue' }] });
    expect(store.getState().replaced).toEqual({ what: 'Open "smoke"', targets: ['local:mlflow (unchecked)', `azureml:${MINE}`], headers: ['X-Trace'] });

    store.getState().undoReplace();
    expect(setupShown(store)).toEqual(mine);
    expect(store.getState().replaced).toBeNull();
    // what came back is unsaved again: the next replacement asks
    const again = store.getState().applySaved(smoke);
    expect(store.getState().replaceAsk?.losing.headers).toEqual(['X-Trace']);
    store.getState().answerReplace(false);
    await again;
  });

  it('an edit after the replacement withdraws the undo (it would take that edit away); so does a later replacement', async () => {
    const store = await ready();
    typeSetup(store);
    const opening = store.getState().applySaved(smoke);
    store.getState().answerReplace(true);
    await opening;
    expect(store.getState().replaced).not.toBeNull();
    store.getState().updateHeader(store.getState().headers[0]!.id, { value: 'green' });
    expect(store.getState().replaced).toBeNull();
    store.getState().undoReplace();
    expect(setupShown(store).headers).toEqual([{ name: 'x-team', value: 'green' }]);

    // a replacement that takes nothing typed offers no undo, and withdraws an older one
    const other = await ready();
    typeSetup(other);
    const first = other.getState().applySaved(smoke);
    other.getState().answerReplace(true);
    await first;
    expect(await other.getState().applySaved({ ...smoke, name: 'again', targets: [{ kind: 'local', server: 'azureml' }] })).toBe(true);
    expect(other.getState().replaceAsk).toBeNull();
    expect(other.getState().replaced).toBeNull();
  });

  it('asks nothing when nothing typed would go: an untouched setup, or incoming targets and headers equal to the typed ones', async () => {
    const untouched = await ready();
    expect(await untouched.getState().applySaved(smoke)).toBe(true);
    expect(untouched.getState().replaceAsk).toBeNull();
    expect(untouched.getState().replaced).toBeNull();
    // opened: loaded, so the next open asks nothing either
    expect(await untouched.getState().applySaved({ ...smoke, name: 'b', targets: [{ kind: 'local', server: 'azureml' }], headers: [] })).toBe(true);
    expect(untouched.getState().replaceAsk).toBeNull();

    const typed = await ready();
    typeSetup(typed);
    // the same URL and header (a name in another case is the same header), an empty row added and left empty
    typed.getState().addUrl();
    const same = { ...smoke, targets: [{ kind: 'local' as const, server: 'azureml' as const }, { kind: 'local' as const, server: 'mlflow' as const }, { kind: 'url' as const, server: 'azureml' as const, url: MINE }], headers: [{ name: 'x-trace', value: 'trace-1' }] };
    expect(await typed.getState().applySaved(same)).toBe(true);
    expect(typed.getState().replaceAsk).toBeNull();
  });

  it('a History run replaces the targets (asked about) but never the headers (it keeps none)', async () => {
    const store = await ready();
    typeSetup(store);
    const reopening = store.getState().reopen(run);
    expect(store.getState().replaceAsk?.losing).toEqual({ text: false, targets: [`azureml:${MINE}`], headers: [] });
    store.getState().answerReplace(true);
    expect(await reopening).toBe(true);
    expect(setupShown(store).headers).toEqual([{ name: 'X-Trace', value: 'trace-1' }]);
    expect(store.getState().replaced).toEqual({ what: expect.stringMatching(/from the history$/), targets: [`azureml:${MINE}`], headers: [] });
    store.getState().undoReplace();
    expect(setupShown(store).urls).toEqual([{ server: 'azureml', url: MINE }]);
  });

  it('a curl import adds its URL (nothing typed goes), but asks before its header replaces a typed one of the same name, body or not', async () => {
    const store = await ready();
    typeSetup(store, { name: 'azureml-model-deployment', value: 'green' });
    const withBody = `curl -X POST 'https://ep.inference.ml.azure.com/score' -H 'azureml-model-deployment: blue' -d '{"input_data": {"columns": ["age"], "data": [[2]]}}'`;
    const importing = store.getState().importCurl(withBody);
    expect(store.getState().replaceAsk?.losing).toEqual({ text: false, targets: [], headers: ['azureml-model-deployment'] });
    store.getState().answerReplace(false);
    expect(await importing).toBeNull();
    expect(setupShown(store).urls).toEqual([{ server: 'azureml', url: MINE }]);

    const noBody = store.getState().importCurl(`curl 'https://ep.inference.ml.azure.com/score' -H 'azureml-model-deployment: blue'`);
    expect(store.getState().replaceAsk?.what).toBe('Import from curl');
    store.getState().answerReplace(true);
    expect((await noBody)?.ok).toBe(true);
    expect(setupShown(store).urls).toEqual([{ server: 'azureml', url: MINE }, { server: 'azureml', url: 'https://ep.inference.ml.azure.com/score' }]);
    expect(setupShown(store).headers).toEqual([{ name: 'azureml-model-deployment', value: 'blue' }]);
    store.getState().undoReplace();
    expect(setupShown(store)).toEqual({ local: { azureml: true, mlflow: true }, urls: [{ server: 'azureml', url: MINE }], headers: [{ name: 'azureml-model-deployment', value: 'green' }] });

    // a curl whose header is not typed here: added, nothing asked
    const fresh = await ready();
    typeSetup(fresh);
    expect((await fresh.getState().importCurl(withBody))?.ok).toBe(true);
    expect(fresh.getState().replaceAsk).toBeNull();
    expect(setupShown(fresh).headers.map((h) => h.name)).toEqual(['X-Trace', 'azureml-model-deployment']);
  });

  it("a curl whose body is a file (-d @request.json, as Azure ML's docs write it) imports its URL and headers, names the file and leaves the editor's text", async () => {
    const store = await ready();
    const before = currentDraft(store.getState()).body;
    const r = await store.getState().importCurl(`curl -X POST 'https://ep.inference.ml.azure.com/score' -H 'Authorization: Bearer $KEY' -H 'Content-Type: application/json' -d @request.json`);
    expect(r?.ok).toBe(true);
    expect(r?.message).toContain('Its body is read from the file request.json: paste that file');
    expect(setupShown(store).urls).toContainEqual({ server: 'azureml', url: 'https://ep.inference.ml.azure.com/score' });
    expect(setupShown(store).headers).toContainEqual({ name: 'Authorization', value: 'Bearer $KEY' });
    expect(currentDraft(store.getState()).body).toBe(before);
    // a command that GETs: said, since the playground POSTs the editor's body
    expect((await store.getState().importCurl(`curl 'https://ep.inference.ml.azure.com/score'`))?.message).toContain("The command sends GET; the Playground POSTs the editor's body.");
  });

  it('a send keeps the targets (the history reopens them), not the headers; a save keeps both, but not a secret header\'s value (left out of the file)', async () => {
    const host = memoryHost();
    const api = { ...host.api, collections: { save: async () => ({ file: 'mine.request.json', secretsLeftOut: ['Authorization'] }), list: async () => ({ folder: '/f', entries: [], problems: [] }) } } as unknown as Parameters<typeof createPlaygroundStore>[0];
    const store = await ready(api);
    typeSetup(store);
    await store.getState().send();
    expect(store.getState().run.status).toBe('done');
    const opening = store.getState().applySaved(smoke);
    expect(store.getState().replaceAsk?.losing).toEqual({ text: false, targets: [], headers: ['X-Trace'] });
    store.getState().answerReplace(false);
    await opening;

    store.getState().addHeader();
    store.getState().updateHeader(store.getState().headers.at(-1)!.id, { name: 'Authorization', value: 'Bearer typed-key' });
    store.getState().collections.getState().setFolder('/f');
    await store.getState().saveRequest('mine', false);
    const again = store.getState().applySaved(smoke);
    expect(store.getState().replaceAsk?.losing).toEqual({ text: false, targets: [], headers: ['Authorization'] });
    store.getState().answerReplace(false);
    await again;
    // a file that leaves the key out keeps the typed one: nothing to ask
    expect(await store.getState().applySaved({ ...smoke, headers: [{ name: 'authorization', value: null }] })).toBe(true);
    expect(store.getState().replaceAsk).toBeNull();
  });

  it('the text, the targets and the headers are asked about in one question', async () => {
    const store = await ready();
    typeSetup(store);
    store.getState().setBody(currentDraft(store.getState()).body.replace(/\d/, (d) => (d === '9' ? '8' : '9')));
    const opening = store.getState().applySaved(smoke);
    expect(store.getState().replaceAsk?.losing).toEqual({ text: true, targets: [`azureml:${MINE}`], headers: ['X-Trace'] });
    store.getState().answerReplace(false);
    await opening;
    // an action that does not touch the targets asks about the text only
    const filling = store.getState().fillFromExample();
    expect(store.getState().replaceAsk?.losing).toEqual({ text: true, targets: [], headers: [] });
    store.getState().answerReplace(false);
    await filling;
  });
});

describe('saved requests remember their model', () => {
  const here = { folder: 'diabetes', modelUuid: 'u-here', signature: 'fnv1a64:1111111111111111' };

  it('records the model shown; opening one saved for another model says so, one saved for this model or before it was recorded says nothing', async () => {
    const store = createPlaygroundStore(memoryHost().api);
    await store.getState().setModel('/m', here);
    const saved = store.getState().toSaved('mine')!;
    expect(saved.model).toEqual(here);

    await store.getState().applySaved({ ...saved, model: { folder: 'iris', modelUuid: 'u-iris', signature: 'fnv1a64:2222222222222222' } });
    expect(store.getState().savedNote).toEqual({ modelPath: '/m', text: expect.stringMatching(/^Saved for another model, "iris" \(model_uuid u-iris\), whose signature differs/) });
    // the note is about that text: loading other text clears it
    await store.getState().fillFromExample();
    expect(store.getState().savedNote).toBeNull();

    await store.getState().applySaved(saved);
    expect(store.getState().savedNote).toBeNull();
    const { model: _model, ...old } = saved;
    expect(await store.getState().applySaved(old)).toBe(true);
    expect(store.getState().savedNote).toBeNull();
  });
});

describe('answers shown for other text than the editor holds', () => {
  it('a run is marked stale once the editor text differs from what it sent, and fresh again when it is the same', async () => {
    const host = memoryHost();
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    const sent = currentDraft(store.getState()).body;
    await store.getState().send();
    expect(store.getState().run.status).toBe('done');
    expect(runIsStale(store.getState())).toBe(false);
    store.getState().setBody(sent.replace('"input_data"', '"input_data" '));
    expect(runIsStale(store.getState())).toBe(true);
    store.getState().setBody(sent);
    expect(runIsStale(store.getState())).toBe(false);
  });
});

describe('a refusal to send', () => {
  it('goes once the target or tolerance it was about is edited; an answer from the targets stays', async () => {
    const host = memoryHost();
    const store = createPlaygroundStore(host.api);
    await store.getState().setModel('/m');
    store.getState().addUrl();
    const id = store.getState().urls[0]!.id;
    store.getState().updateUrl(id, { server: 'mlflow', url: '127.0.0.1:5858/invocations' });
    await store.getState().send();
    expect(store.getState().run).toMatchObject({ status: 'error', error: { message: expect.stringContaining('has no http:// or https://') } });
    store.getState().updateUrl(id, { url: 'http://127.0.0.1:5858/invocations' });
    expect(store.getState().run.status).toBe('idle');
    store.getState().setTolerance('tiny');
    await store.getState().send();
    expect(store.getState().run.status).toBe('error');
    store.getState().setTolerance('1e-6');
    expect(store.getState().run.status).toBe('idle');
    expect(host.sent).toHaveLength(0);
    // a real run's outcome is not a refusal: editing the targets keeps it
    await store.getState().send();
    expect(store.getState().run.status).toBe('done');
    store.getState().toggleLocal('mlflow');
    expect(store.getState().run.status).toBe('done');
  });
});

describe('playground texts outlive a reload (session-drafts.ts)', () => {
  it('a store made after a reload shows the text being written, not the example, and keeps it as unsaved work', async () => {
    const written: KeptDrafts[] = [];
    const keeper: DraftKeeper = { read: () => written.at(-1) ?? { drafts: {}, baselines: {} }, write: (k) => void written.push(k) };
    const before = createPlaygroundStore(memoryHost().api, keeper);
    await before.getState().setModel('/m');
    await vi.waitFor(() => expect(currentDraft(before.getState()).body).toContain('"input_data"'));
    before.getState().setBody('{"input_data": {"columns": ["age"], "data": [[1.5]]}}');
    await vi.waitFor(() => expect(written.at(-1)?.drafts['/m']?.body).toBe('{"input_data": {"columns": ["age"], "data": [[1.5]]}}'));

    const host = memoryHost();
    const after = createPlaygroundStore(host.api, keeper);
    await after.getState().setModel('/m');
    await vi.waitFor(() => expect(after.getState().samples.status).toBe('loaded'));
    expect(currentDraft(after.getState()).body).toBe('{"input_data": {"columns": ["age"], "data": [[1.5]]}}');
    // still the user's unsaved text: filling from the example asks before replacing it
    const filling = after.getState().fillFromExample();
    await vi.waitFor(() => expect(after.getState().replaceAsk).not.toBeNull());
    after.getState().answerReplace(false);
    await filling;
    expect(currentDraft(after.getState()).body).toBe('{"input_data": {"columns": ["age"], "data": [[1.5]]}}');
  });
});
