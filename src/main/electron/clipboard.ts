import { clipboard } from 'electron';
import type { ClipboardPort } from '../ports/clipboard';

/** The desktop clipboard through Electron's main-process `clipboard` module. */
export const electronClipboard: ClipboardPort = {
  available: true,
  unavailableReason: null,
  writeText(text) {
    clipboard.writeText(text);
    return Promise.resolve();
  },
};
