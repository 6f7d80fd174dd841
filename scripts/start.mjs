// `npm start` (after `npm run build`): opens Preflight on the bundled sample model, or on the folder given
// after `--` (`npm start -- path/to/model`). Uses Electron where its binary is installed; otherwise (CI images,
// ELECTRON_SKIP_BINARY_DOWNLOAD=1) says so in one line and starts the browser-mode host instead.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const userArgs = process.argv.slice(2);
// `npm start -- [model-dir] [--allow-write DIR] [--port N] …`: the first argument that is not a flag is the model; the
// flags go to the browser-mode host (the error for an output folder outside the session's grants names --allow-write,
// and a flag read as the model's path would start the host on a folder named "--allow-write").
const firstPositional = userArgs.findIndex((a, i) => !a.startsWith('-') && (i === 0 || !takesValue(userArgs[i - 1])));
const hostFlags = userArgs.filter((_, i) => i !== firstPositional);
const sample = join(root, 'resources', 'sample-model');
const modelDir = firstPositional >= 0 ? resolve(process.cwd(), userArgs[firstPositional]) : existsSync(sample) ? sample : null;

/** The host's flags that take a value (`--port 5000`); `--port=5000` is one argument and needs no lookahead. */
function takesValue(arg) {
  return ['--port', '--model', '--allow-write', '--trust', '--user-data', '--renderer-dir', '--host', '--dialog-paths'].includes(arg);
}
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
  run(process.execPath, [host, ...modelArgs, ...hostFlags]);
}
