import { createApi, type ClientApi } from '@shared/ipc/create-api';
import { resolveBackend } from './backend';
import { useConnectionStore } from './connection-store';
import { createWsTransport } from './ws-transport';
import { useTrustPrompt } from './trust-prompt-store';
import { withTrustPrompt } from './trust-transport';

/** Every call may ask for model-folder trust first (trust-transport.ts). */
const askTrust = (q: Parameters<ReturnType<typeof useTrustPrompt.getState>['ask']>[0]): Promise<boolean> => useTrustPrompt.getState().ask(q);

/** Everything the renderer needs from its host: the typed API and what only some hosts can do. */
export interface HostConnection {
  kind: 'electron' | 'browser';
  api: ClientApi;
  /** The absolute path of a dropped folder; null where the page cannot know it (plain browser). */
  pathForFile: ((file: File) => string | null) | null;
  /** Try to reconnect now instead of waiting for the back-off (no-op in Electron). */
  reconnectNow(): void;
}

export type HostConnectionResult = { ok: true; connection: HostConnection } | { ok: false; reason: string };

/**
 * The one place the renderer learns how to reach main: Electron's preload bridge when present, otherwise the
 * browser-mode host's WebSocket. Both become a `Transport` for the same `createApi`, so features never know which.
 */
export function connectToHost(win: Window): HostConnectionResult {
  const backend = resolveBackend(win.location, win.preflightBridge);
  const setStatus = useConnectionStore.getState().setStatus;
  switch (backend.kind) {
    case 'unavailable':
      return { ok: false, reason: backend.reason };
    case 'electron': {
      const { bridge } = backend;
      setStatus({ status: 'open' });
      return {
        ok: true,
        connection: {
          kind: 'electron',
          api: createApi(withTrustPrompt({ invoke: (channel, input) => bridge.invoke(channel, input), on: (e, l) => bridge.on(e, l) }, askTrust)),
          pathForFile: (file) => bridge.pathForFile(file) || null,
          reconnectNow: () => {},
        },
      };
    }
    case 'browser': {
      const transport = createWsTransport({
        url: backend.wsUrl,
        createSocket: (url) => new WebSocket(url),
        onStatus: setStatus,
      });
      win.addEventListener('beforeunload', () => transport.close());
      return {
        ok: true,
        connection: { kind: 'browser', api: createApi(withTrustPrompt(transport, askTrust)), pathForFile: null, reconnectNow: transport.reconnectNow },
      };
    }
  }
}
