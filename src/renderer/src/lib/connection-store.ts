import { create } from 'zustand';
import type { ConnectionStatus } from './ws-transport';

interface ConnectionState {
  status: ConnectionStatus;
  /** Set once the first connection opened: after that, a drop is "disconnected", before it "cannot reach". */
  everConnected: boolean;
  /** Epoch ms of the next reconnect attempt while reconnecting, for the banner's countdown. */
  retryAt: number | null;
  setStatus(status: ConnectionStatus): void;
}

/** Connection to the host, fed by the transport; the shell's banner and the start-up retry read it. */
export const useConnectionStore = create<ConnectionState>()((set) => ({
  status: { status: 'connecting', attempt: 1 },
  everConnected: false,
  retryAt: null,
  setStatus: (status) =>
    set((s) => ({
      status,
      everConnected: s.everConnected || status.status === 'open',
      retryAt: status.status === 'reconnecting' ? Date.now() + status.retryInMs : null,
    })),
}));
