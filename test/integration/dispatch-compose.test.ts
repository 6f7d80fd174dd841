import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { methodChannel } from '../../src/shared/ipc/channels';
import { compose, type HostPorts } from '../../src/main/app/compose';
import { fixture } from '../support/paths';
import { testHostPorts } from '../support/host-ports';

let tmp: string;
const ctx = { senderId: 'test', signal: new AbortController().signal };

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-compose-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const ports = (over: Partial<HostPorts> = {}): HostPorts => testHostPorts({ userDataDir: join(tmp, 'user-data'), resourcesDir: join(tmp, 'resources'), version: '1.2.3', ...over });

describe('compose()', () => {
  it('implements every contract method (a missing handler would be E_INTERNAL, not a crash)', async () => {
    const { handlers } = await compose(ports());
    expect(Object.keys(handlers.app)).toEqual(['info']);
    expect(Object.keys(handlers.model).sort()).toEqual(['forgetRecent', 'inspect', 'pickFolder', 'recent']);
  });

  it('app.info reports the sample model only when it exists, and the initial model', async () => {
    const { dispatch } = await compose(ports({ initialModelPath: '/data/m' }));
    const before = await dispatch(methodChannel('app', 'info'), {}, ctx);
    expect(before).toEqual({ ok: true, value: { version: '1.2.3', host: 'browser', sampleModelPath: null, initialModelPath: '/data/m', canPickFolder: false } });
    await mkdir(join(tmp, 'resources', 'sample-model'), { recursive: true });
    const after = await dispatch(methodChannel('app', 'info'), {}, ctx);
    expect(after).toMatchObject({ ok: true, value: { sampleModelPath: join(tmp, 'resources', 'sample-model') } });
  });

  it('model.pickFolder without a dialog is E_ENVIRONMENT telling the user what to do instead', async () => {
    const { dispatch } = await compose(ports());
    const result = await dispatch(methodChannel('model', 'pickFolder'), {}, ctx);
    expect(result).toMatchObject({ ok: false, error: { code: 'E_ENVIRONMENT' } });
    expect(!result.ok && result.error.message).toMatch(/no native folder dialog.*paste the model folder path/);
  });

  it('model.inspect records the model in the recent list; forgetRecent removes it; both push recent-changed', async () => {
    const { dispatch, events } = await compose(ports());
    const pushed: unknown[] = [];
    events.subscribe((name, payload) => pushed.push({ name, payload }));
    const model = fixture('mlflow-models', 'azureml-examples-sklearn-diabetes');

    const inspected = await dispatch(methodChannel('model', 'inspect'), { path: model }, ctx);
    expect(inspected.ok).toBe(true);
    const recent = await dispatch(methodChannel('model', 'recent'), {}, ctx);
    expect(recent).toMatchObject({ ok: true, value: { items: [{ name: 'azureml-examples-sklearn-diabetes' }] } });
    expect(pushed).toHaveLength(1);

    const path = (recent as { value: { items: { path: string }[] } }).value.items[0].path;
    const forgotten = await dispatch(methodChannel('model', 'forgetRecent'), { path }, ctx);
    expect(forgotten).toEqual({ ok: true, value: { items: [] } });
    expect(pushed[1]).toEqual({ name: 'model.recent-changed', payload: { items: [] } });

    // The list lives in userData: a new composition (app restart) sees the same (now empty) list.
    const again = await compose(ports());
    expect(again.services.store.recent()).toEqual([]);
  });

  it('a failed inspection is not added to the recent list', async () => {
    const { dispatch, services } = await compose(ports());
    const result = await dispatch(methodChannel('model', 'inspect'), { path: join(tmp, 'missing') }, ctx);
    expect(result.ok).toBe(false);
    expect(services.store.recent()).toEqual([]);
  });
});
