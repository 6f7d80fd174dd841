import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorData } from '@shared/errors';
import type { ClientApi } from '@shared/ipc/create-api';
import type { RecentModel } from '@shared/ipc/contract';
import type { ModelReport } from '@shared/mlflow/model-report';
import { toErrorData } from '../../../lib/errors';

export const MODEL_TABS = ['overview', 'signature', 'examples', 'playground', 'batch', 'package', 'azure', 'environment', 'onnx', 'files', 'findings', 'problems'] as const;
export type ModelTab = (typeof MODEL_TABS)[number];

/** What the main pane shows. `loading` keeps the path so the spinner can say what it is opening. */
export type ModelView =
  | { status: 'idle' }
  | { status: 'loading'; path: string }
  | { status: 'loaded'; report: ModelReport }
  | { status: 'error'; path: string; error: ErrorData };

export interface ModelsState {
  pathInput: string;
  view: ModelView;
  tab: ModelTab;
  recent: RecentModel[];
  recentError: string | null;
  /** A short message near the open bar (drop in browser mode, picker failure, empty path). */
  notice: string | null;

  setPathInput(value: string): void;
  setTab(tab: ModelTab): void;
  setNotice(message: string | null): void;
  /** Inspect a model; a newer `open` wins over an older one still in flight. */
  open(path: string): Promise<void>;
  /** Native folder dialog, then open what was picked. */
  pickFolder(): Promise<void>;
  refreshRecent(): Promise<void>;
  forgetRecent(path: string): Promise<void>;
  /** Follow `model.recent-changed` pushes; returns the unsubscribe. */
  subscribe(): () => void;
}

export type ModelsApi = Pick<ClientApi, 'model' | 'on'>;
export type ModelsStore = StoreApi<ModelsState>;

/** The Models feature's store. The API is injected so tests can drive it with an in-memory host. */
export function createModelsStore(api: ModelsApi): ModelsStore {
  // Incremented per open(): results of superseded requests are dropped, so a slow big model cannot
  // overwrite the small one the user opened after it.
  let generation = 0;

  return createStore<ModelsState>()((set, get) => ({
    pathInput: '',
    view: { status: 'idle' },
    tab: 'overview',
    recent: [],
    recentError: null,
    notice: null,

    setPathInput: (value) => set({ pathInput: value }),
    setTab: (tab) => set({ tab }),
    setNotice: (message) => set({ notice: message }),

    async open(rawPath) {
      const path = rawPath.trim();
      if (path === '') {
        // Browse… exists only where the host has a folder picker; the bar itself offers it when it does.
        set({ notice: 'Type the path of an MLflow model folder (or an .onnx file) first.' });
        return;
      }
      const mine = ++generation;
      set({ view: { status: 'loading', path }, pathInput: path, notice: null });
      try {
        const report = await api.model.inspect({ path });
        if (mine !== generation) return;
        set({ view: { status: 'loaded', report }, pathInput: report.path });
      } catch (error) {
        if (mine !== generation) return;
        set({ view: { status: 'error', path, error: toErrorData(error) } });
      }
      // The host records opened models; refresh in case its push is not wired (or arrives before we listen).
      void get().refreshRecent();
    },

    async pickFolder() {
      try {
        const { path } = await api.model.pickFolder({});
        if (path) await get().open(path);
      } catch (error) {
        set({ notice: `Could not open the folder dialog: ${toErrorData(error).message}` });
      }
    },

    async refreshRecent() {
      try {
        const { items } = await api.model.recent({});
        set({ recent: items, recentError: null });
      } catch (error) {
        set({ recentError: toErrorData(error).message });
      }
    },

    async forgetRecent(path) {
      try {
        const { items } = await api.model.forgetRecent({ path });
        set({ recent: items, recentError: null });
      } catch (error) {
        set({ recentError: `Could not remove ${path} from the recent list: ${toErrorData(error).message}` });
      }
    },

    subscribe: () => api.on('model.recent-changed', ({ items }) => set({ recent: items, recentError: null })),
  }));
}
