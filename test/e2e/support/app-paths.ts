import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { repoRoot } from '../../support/paths';

/** Build outputs the E2E projects run; `npm run build` makes them. */
export const builtRendererIndex = resolve(repoRoot, 'out/renderer/index.html');
export const builtHostJs = resolve(repoRoot, process.env.PREFLIGHT_E2E_HOST_JS ?? 'out/node/host.js');
export const builtElectronMain = resolve(repoRoot, 'out/main/index.js');

/** Where screenshots go (gitignored); `docs/screenshot.png` is refreshed only on request. */
export const screenshotDir = resolve(repoRoot, 'test/e2e/output');
export const readmeScreenshot = resolve(repoRoot, 'docs/screenshot.png');

/** Fails with the command to run instead of a cryptic ENOENT deep inside a fixture. */
export function requireBuilt(paths: readonly string[]): void {
  const missing = paths.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(`E2E needs the built app, but these are missing:\n  ${missing.join('\n  ')}\nRun \`npm run build\` first.`);
  }
}

export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

/**
 * The Electron executable, found the way `require('electron')` finds it but WITHOUT its side effect: that module
 * starts a download when the binary is missing (ELECTRON_SKIP_BINARY_DOWNLOAD installs), which must not happen
 * in a test run.
 */
export function electronBinary(): ElectronBinary {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the electron package is not installed (npm ci).' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, relative ?? 'electron');
    return existsSync(path) ? { ok: true, path } : { ok: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no binary at ${path}.` };
  }
  if (!relative) {
    return {
      ok: false,
      reason: `${pathFile} does not exist — the binary was never downloaded (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?).`,
    };
  }
  const path = join(pkgDir, 'dist', relative);
  return existsSync(path) ? { ok: true, path } : { ok: false, reason: `${path} does not exist.` };
}
