/**
 * The sandboxed preload: exposes `window.preflightBridge`, a raw transport restricted to the contract's
 * manifest. The renderer's lib/api.ts wraps it with `createApi` so envelopes are unwrapped (and AppErrors
 * built) in the renderer's own realm — class identity does not survive contextBridge.
 *
 * Sandboxed preloads can only `require('electron')`; everything else (the shared manifest) is bundled in.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { eventChannel, eventNames, methodEntries } from '@shared/ipc/channels';

const allowedChannels = new Set(methodEntries.map((e) => e.channel));
const allowedEvents = new Set<string>(eventNames);

export interface PreflightBridge {
  /** Calls a contract channel; resolves the `{ ok, value | error }` envelope, never rejects for app errors. */
  invoke(channel: string, input: unknown): Promise<unknown>;
  /** Subscribes to a contract event; the listener gets the payload only. Returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** The filesystem path of a dropped file or folder (drag-and-drop of a model folder). */
  pathForFile(file: File): string;
}

const bridge: PreflightBridge = {
  invoke(channel, input) {
    if (typeof channel !== 'string' || !allowedChannels.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'E_FORBIDDEN', message: `Unknown channel "${String(channel)}".` } });
    }
    return ipcRenderer.invoke(channel, input);
  },
  on(event, listener) {
    if (typeof event !== 'string' || !allowedEvents.has(event)) throw new Error(`Unknown event "${String(event)}".`);
    if (typeof listener !== 'function') throw new Error('on(event, listener): listener must be a function.');
    const channel = eventChannel(event);
    // Never hand the IpcRendererEvent to the page: it carries `sender`, a handle back into ipcRenderer.
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  },
  pathForFile(file) {
    return webUtils.getPathForFile(file);
  },
};

contextBridge.exposeInMainWorld('preflightBridge', bridge);
