/**
 * This computer's clipboard, written from the main process only: secrets (a local server's key) are put
 * there without ever crossing IPC to the renderer. The Electron host implements it; headless hosts
 * (browser mode, CLI) cannot reach the user's desktop clipboard and say so.
 */
export interface ClipboardPort {
  readonly available: boolean;
  /** Why the clipboard cannot be used and where the user finds the secret instead; null when available. */
  readonly unavailableReason: string | null;
  writeText(text: string): Promise<void>;
}

/** Browser mode: the host prints a server's key once to its own terminal instead. */
export const terminalOnlyClipboard: ClipboardPort = {
  available: false,
  unavailableReason:
    "Browser mode cannot reach this computer's clipboard, so the key is never sent to the page: the host printed it once in the terminal that started it (npm start / preflight open).",
  writeText: () => Promise.reject(new Error('no clipboard in this host')),
};
