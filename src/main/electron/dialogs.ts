import { dialog, type BrowserWindow } from 'electron';
import type { DialogPort } from '../ports/dialogs';

/** The native folder picker, modal to the app window when there is one. */
export function electronDialogs(getWindow: () => BrowserWindow | null): DialogPort {
  return {
    available: true,
    async pickFolder() {
      const options: Electron.OpenDialogOptions = { title: 'Open an MLflow model folder', properties: ['openDirectory'] };
      const win = getWindow();
      const result = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
    },
    async pickFile({ title, extensions }) {
      const options: Electron.OpenDialogOptions = { title, properties: ['openFile'], filters: [{ name: title, extensions }] };
      const win = getWindow();
      const result = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
    },
  };
}
