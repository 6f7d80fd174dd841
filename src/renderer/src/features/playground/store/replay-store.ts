import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorData } from '@shared/errors';
import type { ClientApi } from '@shared/ipc/create-api';
import { MAX_ROWS_PER_REQUEST, REPLAY_DEFAULTS, type ReplayInputData, type ReplayProgressData, type ReplaySummaryData } from '@shared/ipc/replay-contract';
import { toErrorData } from '../../../lib/errors';

/**
 * The playground's replay (issue 10): a CSV file or the input example through every target in chunks. The main
 * process does the work; this store holds what the user chose, the last progress summary and the result.
 */

export type ReplayApi = Pick<ClientApi, 'compare' | 'on'>;

export interface ReplayState {
  source: 'csv' | 'example';
  csvPath: string;
  rowsPerRequest: string;
  /** "Fill the editor with the first N rows": N as typed, kept here so a tab switch does not reset it. */
  fillRows: string;
  opId: string | null;
  progress: ReplayProgressData | null;
  summary: ReplaySummaryData | null;
  error: ErrorData | null;
  setSource(v: 'csv' | 'example'): void;
  setCsvPath(v: string): void;
  setRowsPerRequest(v: string): void;
  setFillRows(v: string): void;
  /** Replays with the playground's targets, headers and tolerance. */
  run(request: Omit<ReplayInputData, 'source' | 'rowsPerRequest' | 'opId'>): Promise<void>;
  cancel(): Promise<void>;
  /** Follow `compare.replay-progress` for this store's replay; returns the unsubscribe. */
  subscribe(): () => void;
}

export type ReplayStore = StoreApi<ReplayState>;

export function rowsPerRequestOf(text: string): number | null {
  const v = Number(text);
  return /^\d+$/.test(text.trim()) && v >= 1 && v <= MAX_ROWS_PER_REQUEST ? v : null;
}

export function createReplayStore(api: ReplayApi): ReplayStore {
  let n = 0;
  return createStore<ReplayState>()((set, get) => ({
    source: 'csv',
    csvPath: '',
    rowsPerRequest: String(REPLAY_DEFAULTS.rowsPerRequest),
    fillRows: '5',
    opId: null,
    progress: null,
    summary: null,
    error: null,
    setSource: (source) => set({ source }),
    setCsvPath: (csvPath) => set({ csvPath }),
    setRowsPerRequest: (rowsPerRequest) => set({ rowsPerRequest }),
    setFillRows: (fillRows) => set({ fillRows }),
    async run(request) {
      const s = get();
      if (s.opId !== null) return;
      const rows = rowsPerRequestOf(s.rowsPerRequest);
      const problem =
        rows === null
          ? `Rows per request must be a whole number from 1 to ${MAX_ROWS_PER_REQUEST}, not "${s.rowsPerRequest}".`
          : s.source === 'csv' && !s.csvPath.trim()
            ? 'Type the path of a CSV file to replay (a header row, then one row per request row).'
            : null;
      if (problem) {
        set({ error: { code: 'E_INVALID_INPUT', message: problem, details: null }, summary: null });
        return;
      }
      const opId = `replay-${Date.now().toString(36)}-${++n}`;
      set({ opId, progress: null, summary: null, error: null });
      try {
        const summary = await api.compare.replay({
          ...request,
          source: s.source === 'csv' ? { kind: 'csv', path: s.csvPath.trim() } : { kind: 'example' },
          rowsPerRequest: rows!,
          opId,
        });
        set({ summary });
      } catch (err) {
        set({ error: toErrorData(err) });
      } finally {
        set({ opId: null });
      }
    },
    async cancel() {
      const { opId } = get();
      if (opId === null) return;
      await api.compare.cancel({ opId }).catch((err: unknown) => set({ error: toErrorData(err) }));
    },
    subscribe() {
      return api.on('compare.replay-progress', (p) => {
        if (p.opId === get().opId) set({ progress: p });
      });
    },
  }));
}
