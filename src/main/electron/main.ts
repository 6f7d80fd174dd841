import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { app, BrowserWindow, dialog, protocol, session, utilityProcess } from 'electron';
import { loadCloudFile, PUBLIC_CLOUD } from '../services/azure/cloud';
import { SafeStorageSecretStore } from './safe-storage-secret-store';
import { compose } from '../app/compose';
import { contentSecurityPolicy } from '../app/csp';
import { createFileLogger } from '../app/file-logger';
import { findPackage } from '../app/package-root';
import { stderrLogger, type Logger } from '../ports/logger';
import { createAppUrlCheck } from './app-origin';
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './app-protocol';
import { electronClipboard } from './clipboard';
import { electronDialogs } from './dialogs';
import { utilityWorkerLauncher } from './utility-worker';
import { installIpc } from './ipc-adapter';
import { modelPathFromArgv } from './launch-args';
import { hardenSession, hardenWebContents, openSignInPage } from './security';
import { createMainWindow } from './windows';

/** Where electron-vite put the built pieces, relative to out/main/index.js. */
function builtPaths(mainDir: string) {
  const preloadDir = join(mainDir, '..', 'preload');
  // A sandboxed preload must be a classic script (CommonJS); an ESM `.mjs` build cannot load there.
  const preloadPath = ['index.cjs', 'index.js'].map((f) => join(preloadDir, f)).find((p) => existsSync(p)) ?? join(preloadDir, 'index.cjs');
  // The ONNX worker is built by scripts/build-node.mjs into out/node (part of `npm run build`); the services find it
  // beside their own bundle, which in Electron is out/main, so the path is passed explicitly.
  return { preloadPath, rendererDir: join(mainDir, '..', 'renderer'), onnxWorkerPath: join(mainDir, '..', 'node', 'onnx-worker.js'), fileWorkerPath: join(mainDir, '..', 'node', 'file-worker.js'), prepareWorkerPath: join(mainDir, '..', 'node', 'prepare-worker.js') };
}

/**
 * The Electron host. Order matters: userData must be set before the single-instance lock (the lock is
 * keyed on it, which lets parallel E2E tests with their own PREFLIGHT_USER_DATA run side by side).
 */
export async function startElectronApp(mainDir: string): Promise<void> {
  if (process.env.PREFLIGHT_USER_DATA) app.setPath('userData', resolve(process.env.PREFLIGHT_USER_DATA));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // Must happen before 'ready': the renderer is served from app://preflight, never file:// (app-protocol.ts).
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

  const devServerUrl = !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : null;
  const { preloadPath, rendererDir, onnxWorkerPath, fileWorkerPath, prepareWorkerPath } = builtPaths(mainDir);
  const isAppUrl = createAppUrlCheck({ devServerUrl });
  const log: Logger = createFileLogger(join(app.getPath('userData'), 'logs', 'main.log'), app.isPackaged ? undefined : stderrLogger);
  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isAppUrl, log));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  await app.whenReady();

  // Dev only: Vite's dev server needs its inline React-refresh preamble and HMR socket.
  const csp = devServerUrl
    ? contentSecurityPolicy({ connectSrc: [`ws://${new URL(devServerUrl).host}`], devServer: true })
    : contentSecurityPolicy();
  hardenSession(session.defaultSession, csp, log);
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ rendererDir, csp }));

  // Unpackaged, Electron may be started on out/main/index.js directly (Playwright does), where app.getAppPath()
  // and app.getVersion() describe that file's folder or Electron itself; our package.json is the truth.
  const pkg = app.isPackaged ? null : findPackage(mainDir);
  let composition;
  try {
    const azureCloud = process.env.PREFLIGHT_AZURE_CLOUD ? await loadCloudFile(resolve(process.env.PREFLIGHT_AZURE_CLOUD)) : PUBLIC_CLOUD;
    composition = await compose({
      dialogs: electronDialogs(() => mainWindow),
      clipboard: electronClipboard,
      onnxWorkerPath,
      fileWorkerPath,
      prepareWorkerPath,
      // utilityProcess, not child_process.fork: the app ships with the run-as-node fuse off (build/fuses.mjs).
      launchNodeWorker: utilityWorkerLauncher((modulePath, args, options) => utilityProcess.fork(modulePath, args, options)),
      log,
      userDataDir: app.getPath('userData'),
      host: 'electron',
      resourcesDir: pkg ? join(pkg.root, 'resources') : join(process.resourcesPath, 'resources'),
      initialModelPath: modelPathFromArgv(process.argv, app.isPackaged, process.cwd()),
      version: pkg ? pkg.version : app.getVersion(),
      strictOutputs: !app.isPackaged || process.env.PREFLIGHT_STRICT_IPC === '1',
      secretStore: new SafeStorageSecretStore(app.getPath('userData')),
      // Sign-in pages are built by msal for the configured cloud's authority; only that origin is opened.
      openBrowser: (url) => openSignInPage(url, azureCloud.authorityHost, log),
      azureCloud,
    });
  } catch (err) {
    log.error('startup failed', err);
    dialog.showErrorBox('Preflight could not start', err instanceof Error ? err.message : String(err));
    app.exit(3);
    return;
  }
  installIpc({ dispatch: composition.dispatch, events: composition.events, isAppUrl, log });
  // Local servers and engine workers must not outlive the app: hold the quit until they are stopped.
  const services = composition;
  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    void services
      .dispose()
      .catch((err: unknown) => log.error('stopping local servers and workers failed', err))
      .finally(() => app.quit());
  });

  const openWindow = () => {
    mainWindow = createMainWindow({ preloadPath, rendererUrl: devServerUrl ?? APP_INDEX_URL, log });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };
  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}
