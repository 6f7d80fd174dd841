import type { Result } from '@shared/ipc/result';

/**
 * What the Electron preload exposes as `window.preflightBridge`: the raw envelope transport, restricted by the
 * preload to the contract's channels and events, plus the one DOM helper a sandboxed renderer cannot do alone.
 */
export interface PreflightBridge {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** `webUtils.getPathForFile`: the absolute path of a dropped file or folder ('' when it has none). */
  pathForFile(file: File): string;
}

declare global {
  interface Window {
    preflightBridge?: PreflightBridge;
  }
}
