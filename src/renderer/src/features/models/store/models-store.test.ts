import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import type { RecentModel } from '@shared/ipc/contract';
import type { ModelReport } from '@shared/mlflow/model-report';
import { createModelsStore, type ModelsApi } from './models-store';
import { heartReport } from './test-support';

/**
 * The store against an in-memory host: it answers `model.*` the way the real one does (reports, AppErrors, a
 * recent list it updates on inspect) and lets a test decide when each inspection finishes.
 */
function memoryHost(reports: Record<string, ModelReport>) {
  let recent: RecentModel[] = [];
  const listeners = new Set<(p: { items: RecentModel[] }) => void>();
  const gates = new Map<string, () => void>();
  const hold = (path: string) => new Promise<void>((resolve) => gates.set(path, resolve));
  const held = new Set<string>();
  let pickResult: string | null = null;
  let pickError: AppError | null = null;

  const api: ModelsApi = {
    model: {
      async inspect({ path }) {
        if (held.has(path)) await hold(path);
        const report = reports[path];
        if (!report) throw new AppError('E_NOT_FOUND', `Model folder not found: ${path}. Check the path.`);
        recent = [{ path, name: report.name, openedAt: '2024-01-01T00:00:00Z' }, ...recent.filter((r) => r.path !== path)];
        return report;
      },
      async pickFolder() {
        if (pickError) throw pickError;
        return { path: pickResult };
      },
      async recent() {
        return { items: recent };
      },
      async forgetRecent({ path }) {
        recent = recent.filter((r) => r.path !== path);
        return { items: recent };
      },
    },
    on(event, listener) {
      if (event !== 'model.recent-changed') throw new Error(`unexpected event ${event}`);
      const l = listener as (p: { items: RecentModel[] }) => void;
      listeners.add(l);
      return () => listeners.delete(l);
    },
  } as ModelsApi;

  return {
    api,
    holdNext: (path: string) => held.add(path),
    release: (path: string) => {
      held.delete(path);
      gates.get(path)?.();
    },
    push: (items: RecentModel[]) => listeners.forEach((l) => l({ items })),
    setPick: (path: string | null, error: AppError | null = null) => {
      pickResult = path;
      pickError = error;
    },
  };
}

const heart = heartReport();
const other = heartReport({ path: '/models/other', name: 'other' });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('models store', () => {
  it('opens a model: loading, then the report, the path field and the recent list follow', async () => {
    const host = memoryHost({ [heart.path]: heart });
    const store = createModelsStore(host.api);
    const opening = store.getState().open(`  ${heart.path}  `);
    expect(store.getState().view).toEqual({ status: 'loading', path: heart.path });
    await opening;
    await settle();
    const s = store.getState();
    expect(s.view).toEqual({ status: 'loaded', report: heart });
    expect(s.pathInput).toBe(heart.path);
    expect(s.recent.map((r) => r.path)).toEqual([heart.path]);
  });

  it('shows the host error (code and message) when a path does not exist', async () => {
    const store = createModelsStore(memoryHost({}).api);
    await store.getState().open('/nope');
    expect(store.getState().view).toEqual({
      status: 'error',
      path: '/nope',
      error: { code: 'E_NOT_FOUND', message: 'Model folder not found: /nope. Check the path.' },
    });
  });

  it('keeps the newest request when an older, slower one finishes last', async () => {
    const host = memoryHost({ [heart.path]: heart, [other.path]: other });
    const store = createModelsStore(host.api);
    host.holdNext(heart.path);
    const slow = store.getState().open(heart.path);
    await store.getState().open(other.path);
    host.release(heart.path);
    await slow;
    const view = store.getState().view;
    expect(view.status === 'loaded' && view.report.name).toBe('other');
  });

  it('asks for a path instead of calling the host with an empty one', async () => {
    const store = createModelsStore(memoryHost({}).api);
    await store.getState().open('   ');
    expect(store.getState().view.status).toBe('idle');
    expect(store.getState().notice).toMatch(/path/);
  });

  it('opens what the folder dialog returns, does nothing on cancel, and explains a host without dialogs', async () => {
    const host = memoryHost({ [heart.path]: heart });
    const store = createModelsStore(host.api);
    host.setPick(null);
    await store.getState().pickFolder();
    expect(store.getState().view.status).toBe('idle');
    host.setPick(heart.path);
    await store.getState().pickFolder();
    expect(store.getState().view.status).toBe('loaded');
    host.setPick(null, new AppError('E_ENVIRONMENT', 'This host has no folder dialog.'));
    await store.getState().pickFolder();
    expect(store.getState().notice).toBe('Could not open the folder dialog: This host has no folder dialog.');
  });

  it('forgets a recent entry and follows recent-changed pushes until unsubscribed', async () => {
    const host = memoryHost({ [heart.path]: heart, [other.path]: other });
    const store = createModelsStore(host.api);
    await store.getState().open(heart.path);
    await store.getState().open(other.path);
    await settle();
    expect(store.getState().recent.map((r) => r.name)).toEqual(['other', heart.name]);
    await store.getState().forgetRecent(other.path);
    expect(store.getState().recent.map((r) => r.name)).toEqual([heart.name]);

    const off = store.getState().subscribe();
    host.push([{ path: '/x', name: 'x', openedAt: '2024-01-02T00:00:00Z' }]);
    expect(store.getState().recent.map((r) => r.name)).toEqual(['x']);
    off();
    host.push([]);
    expect(store.getState().recent.map((r) => r.name)).toEqual(['x']);
  });
});
