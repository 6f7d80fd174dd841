import { describe, expect, it } from 'vitest';
import { createBatchStore, type BatchApi } from './batch-store';

/** A host API with only what the Batch store calls; the folder dialog answers from a queue. */
function fakeApi(canPickFolder: boolean, picks: (string | null)[]): BatchApi {
  return {
    app: { info: async () => ({ version: '0', host: canPickFolder ? 'electron' : 'browser', sampleModelPath: null, initialModelPath: null, canPickFolder }) },
    model: { pickFolder: async () => ({ path: picks.shift() ?? null }) },
    batch: { run: async () => { throw new Error('not in this test'); }, cancel: async () => ({ cancelled: false }) },
    on: () => () => undefined,
  };
}

describe('batch store: Browse…', () => {
  it('offers Browse… only where the host has a folder dialog, and fills the field the user browsed for', async () => {
    const store = createBatchStore(fakeApi(true, ['/data/in', null, '/data/out']));
    const stop = store.getState().subscribe();
    await expect.poll(() => store.getState().canBrowse).toBe(true);
    await store.getState().browse('input');
    expect(store.getState().input).toBe('/data/in');
    await store.getState().browse('outDir'); // the user cancels: nothing changes
    expect(store.getState().outDir).toBe('');
    await store.getState().browse('outDir');
    expect(store.getState()).toMatchObject({ input: '/data/in', outDir: '/data/out' });
    stop();
  });

  it('has no Browse… in browser mode', async () => {
    const store = createBatchStore(fakeApi(false, []));
    store.getState().subscribe();
    await new Promise((r) => setTimeout(r, 10));
    expect(store.getState().canBrowse).toBe(false);
  });
});
