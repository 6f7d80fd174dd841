// `npm start` (after `npm run build`): opens Preflight on the bundled sample model, or on the folder given
// after `--` (`npm start -- path/to/model`). Uses Electron where its binary is installed; otherwise (CI images,
// ELECTRON_SKIP_BINARY_DOWNLOAD=1) says so in one line and starts the browser-mode host instead.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const userArgs = process.argv.slice(2);
const sample = join(root, 'resources', 'sample-model');
const modelDir = userArgs[0] ? resolve(process.cwd(), userArgs[0]) : existsSync(sample) ? sample : null;
if (!modelDir) console.log('Note: the sample model is missing (resources/sample-model); run `npm run sample` to generate it.');

/**
 * The Electron executable, or null. Deliberately not `require('electron')`: that module tries to download
 * the binary when it is missing, which needs network and prints a stack trace. We read the same
 * path.txt it would and check the file exists.
 */
function electronBinary() {
  try {
    const pkgDir = join(root, 'node_modules', 'electron');
    const pathFile = join(pkgDir, 'path.txt');
    const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const full = override ? join(override, rel ?? 'electron') : rel ? join(pkgDir, 'dist', rel) : null;
    return full && existsSync(full) ? full : null;
  } catch {
    return null;
  }
}

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (err) => {
    console.error(`Could not start ${command}: ${err.message}`);
    process.exit(3);
  });
}

const electron = electronBinary();
const headlessLinux = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const modelArgs = modelDir ? [modelDir] : [];

if (electron && !headlessLinux) {
  run(electron, ['.', ...modelArgs]);
} else {
  console.log(
    electron
      ? 'No display for Electron on this machine (DISPLAY/WAYLAND_DISPLAY unset); starting browser mode instead.'
      : 'No Electron binary on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD?); starting browser mode instead.',
  );
  const host = join(root, 'out', 'node', 'host.js');
  if (!existsSync(host)) {
    console.error('The browser-mode host is not built (out/node/host.js); run npm run build first.');
    process.exit(3);
  }
  run(process.execPath, [host, ...modelArgs]);
}
