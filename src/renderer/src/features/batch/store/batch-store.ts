import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BatchProgressData, BatchSummaryData } from '@shared/ipc/contract';
import { ErrorCodes, type ErrorData } from '@shared/errors';
import type { ClientApi } from '@shared/ipc/create-api';
import { toErrorData } from '../../../lib/errors';

export type BatchApi = Pick<ClientApi, 'batch' | 'on'> & { app: Pick<ClientApi['app'], 'info'>; model: Pick<ClientApi['model'], 'pickFolder'> };

export interface BatchState {
  input: string;
  outDir: string;
  /** The running job's id, null when idle. */
  jobId: string | null;
  progress: BatchProgressData | null;
  summary: BatchSummaryData | null;
  error: ErrorData | null;
  /** An output file exists that Preflight did not write: the job waits for the user to replace it or not. */
  confirmOverwrite: { file: string } | null;
  /** Whether the host has a native folder dialog (the desktop app); browser mode has none, so no Browse… button. */
  canBrowse: boolean;
  setInput(v: string): void;
  /** Fills the input or the output field from the host's folder dialog (nothing changes when the user cancels). */
  browse(field: 'input' | 'outDir'): Promise<void>;
  setOutDir(v: string): void;
  /** Runs the job; `overwrite` only after the user agreed to replace `confirmOverwrite.file`. */
  run(modelPath: string, overwrite?: boolean): Promise<void>;
  /** The user declined to replace the file: nothing runs. */
  dismissOverwrite(): void;
  cancel(): Promise<void>;
  /** Follow `batch.progress` pushes for this store's job; returns the unsubscribe. */
  subscribe(): () => void;
}

export type BatchStore = StoreApi<BatchState>;

/** The Batch panel's state: the two paths, the running job, its last progress event and its summary. */
export function createBatchStore(api: BatchApi, options: { newJobId?: () => string } = {}): BatchStore {
  let n = 0;
  const newJobId = options.newJobId ?? (() => `batch-${Date.now().toString(36)}-${++n}`);
  return createStore<BatchState>()((set, get) => ({
    input: '',
    outDir: '',
    jobId: null,
    progress: null,
    summary: null,
    error: null,
    confirmOverwrite: null,
    canBrowse: false,
    setInput: (input) => set({ input, confirmOverwrite: null }),
    async browse(field) {
      try {
        const { path } = await api.model.pickFolder({});
        if (path !== null) set(field === 'input' ? { input: path, confirmOverwrite: null } : { outDir: path, confirmOverwrite: null });
      } catch (err) {
        set({ error: toErrorData(err) });
      }
    },
    setOutDir: (outDir) => set({ outDir, confirmOverwrite: null }),
    dismissOverwrite: () => set({ confirmOverwrite: null }),
    async run(modelPath, overwrite = false) {
      const { input, outDir, jobId: running } = get();
      if (running !== null) return;
      const jobId = newJobId();
      set({ jobId, progress: null, summary: null, error: null, confirmOverwrite: null });
      try {
        const summary = await api.batch.run({ modelPath, input: input.trim(), outDir: outDir.trim(), jobId, ...(overwrite ? { overwrite: true } : {}) });
        set({ summary });
      } catch (err) {
        const e = toErrorData(err);
        const file = (e.details as { file?: unknown } | undefined)?.file;
        if (e.code === ErrorCodes.OUTPUT_EXISTS && typeof file === 'string') set({ confirmOverwrite: { file } });
        else set({ error: e });
      } finally {
        set({ jobId: null });
      }
    },
    async cancel() {
      const { jobId } = get();
      if (jobId === null) return;
      try {
        await api.batch.cancel({ jobId });
      } catch (err) {
        set({ error: toErrorData(err) });
      }
    },
    subscribe() {
      void api.app.info({}).then(
        (info) => set({ canBrowse: info.canPickFolder }),
        () => set({ canBrowse: false }),
      );
      return api.on('batch.progress', (p) => {
        if (p.jobId === get().jobId) set({ progress: p });
      });
    },
  }));
}
