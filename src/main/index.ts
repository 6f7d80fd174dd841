/**
 * Electron bootstrap only: everything lives in src/main/electron/ and the composition root. Built by
 * electron-vite to out/main/index.js as ESM (package.json "type": "module"), so `import.meta.dirname`
 * (Node ≥ 20.11, Electron ≥ 30) locates the sibling preload and renderer builds.
 */
import { app } from 'electron';
import { startElectronApp } from './electron/main';

startElectronApp(import.meta.dirname).catch((err: unknown) => {
  console.error('Preflight failed to start:', err);
  app.exit(3);
});
