import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ClientApi } from '@shared/ipc/create-api';
import type { CollectionListData, SavedRequestData } from '@shared/ipc/collections-contract';
import { toErrorData } from '../../../lib/errors';

/** The playground's saved requests (issue 10): a folder of `*.request.json` files the user picks. */

export type CollectionsApi = Pick<ClientApi, 'collections'>;

export interface CollectionsState {
  folder: string;
  entries: CollectionListData['entries'];
  problems: string[];
  message: { tone: 'info' | 'warning' | 'error'; text: string } | null;
  setFolder(v: string): void;
  load(): Promise<void>;
  /** Reads a saved request (an error goes to `message`); the playground puts it in the editor, then calls `opened`. */
  open(file: string): Promise<SavedRequestData | null>;
  /** What opening `r` did: put in the editor (with `modelNote` when it was saved for another model), or not (the user kept the editor's text). */
  /** `kept`: the secret headers left out of the file that keep the value the user had typed (nothing to fill in). */
  opened(r: SavedRequestData, applied: boolean, modelNote: string | null, kept?: readonly string[]): void;
  /** Resolves true once the file is written. */
  save(request: SavedRequestData, overwrite?: boolean): Promise<boolean>;
  rename(file: string, name: string): Promise<void>;
}

export type CollectionsStore = StoreApi<CollectionsState>;

export function createCollectionsStore(api: CollectionsApi): CollectionsStore {
  return createStore<CollectionsState>()((set, get) => {
    const fail = (err: unknown): void => set({ message: { tone: 'error', text: toErrorData(err).message } });
    return {
      folder: '',
      entries: [],
      problems: [],
      message: null,
      setFolder: (folder) => set({ folder }),
      async load() {
        try {
          const r = await api.collections.list({ folder: get().folder.trim() });
          set({ entries: r.entries, problems: r.problems, message: r.entries.length ? null : { tone: 'info', text: `No saved requests in ${r.folder} yet.` } });
        } catch (err) {
          fail(err);
        }
      },
      async open(file) {
        try {
          return await api.collections.open({ folder: get().folder.trim(), file });
        } catch (err) {
          fail(err);
          return null;
        }
      },
      opened(r, applied, modelNote, kept = []) {
        if (!applied) return set({ message: { tone: 'info', text: `"${r.name}" was not opened: your text, targets and headers were kept as they are.` } });
        const missing = r.headers.filter((h) => h.value === null && !kept.includes(h.name)).map((h) => h.name);
        const keptText = kept.length ? ` ${kept.join(', ')} ${kept.length === 1 ? 'keeps' : 'keep'} the value you typed.` : '';
        const text = `Opened "${r.name}".${missing.length ? ` Fill in ${missing.join(', ')}: secrets are never saved in the file.` : ''}${keptText}${modelNote ? ` ${modelNote}` : ''}`;
        set({ message: { tone: modelNote ? 'warning' : 'info', text } });
      },
      async save(request, overwrite = false) {
        try {
          const r = await api.collections.save({ folder: get().folder.trim(), request, overwrite });
          await get().load();
          set({ message: { tone: 'info', text: `Saved ${r.file}.${r.secretsLeftOut.length ? ` Left out of the file: the value of ${r.secretsLeftOut.join(', ')}.` : ''}` } });
          return true;
        } catch (err) {
          fail(err);
          return false;
        }
      },
      async rename(file, name) {
        try {
          const r = await api.collections.rename({ folder: get().folder.trim(), file, name });
          await get().load();
          set({ message: { tone: 'info', text: `Renamed to ${r.file}.` } });
        } catch (err) {
          fail(err);
        }
      },
    };
  });
}
