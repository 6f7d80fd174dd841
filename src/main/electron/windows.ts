import { BrowserWindow } from 'electron';
import type { Logger } from '../ports/logger';

export interface MainWindowOptions {
  preloadPath: string;
  /** The dev server (ELECTRON_RENDERER_URL) in development, else app://preflight/index.html (app-protocol.ts). */
  rendererUrl: string;
  log: Logger;
}

/**
 * The app window. `sandbox: true` (not the electron-vite template's false) is why the preload must be one
 * fully bundled CommonJS file; `webSecurity` stays at its default (on).
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Preflight',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: options.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.webContents.on('render-process-gone', (_event, details) => options.log.error(`renderer process gone: ${details.reason}`));
  win.webContents.on('preload-error', (_event, path, error) => options.log.error(`preload ${path} failed`, error));
  win.loadURL(options.rendererUrl).catch((err: unknown) => options.log.error('could not load the renderer', err));
  return win;
}
