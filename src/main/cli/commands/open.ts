import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSER_MODE_USAGE } from '../../app/browser-mode-usage';
import { findPackage } from '../../app/package-root';
import { ExitCode, type CliCommand, type CliIo } from '../command';

/**
 * `preflight open` starts the browser-mode host as its own process (out/node/host.js) rather than importing it:
 * hosts stay separate (ARCHITECTURE.md §1, lint `preflight/layers`), and the host owns its flags, its checks
 * (a missing model folder fails here, exit 3) and its shutdown. Output and the exit code pass through.
 */
export const openCommand: CliCommand = {
  name: 'open',
  summary: 'Start Preflight in browser mode (http://127.0.0.1) on a model folder',
  usage: BROWSER_MODE_USAGE,
  async run(argv, io) {
    const hostJs = join(findPackage().root, 'out', 'node', 'host.js');
    if (!existsSync(hostJs)) {
      io.stderr(`preflight: the browser-mode host is not built (${hostJs} is missing); run npm run build first.\n`);
      return ExitCode.ENVIRONMENT;
    }
    return runHost(hostJs, argv, io);
  },
};

function runHost(hostJs: string, argv: string[], io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [hostJs, ...argv], { cwd: io.cwd, env: io.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (text: string) => io.stdout(text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => io.stderr(text));
    const stop = () => child.kill('SIGTERM');
    io.signal.addEventListener('abort', stop, { once: true });
    child.on('error', (err) => {
      io.signal.removeEventListener('abort', stop);
      io.stderr(`preflight: could not start the browser-mode host: ${err.message}\n`);
      resolve(ExitCode.ENVIRONMENT);
    });
    child.on('close', (code, signal) => {
      io.signal.removeEventListener('abort', stop);
      resolve(code ?? (signal && io.signal.aborted ? ExitCode.OK : ExitCode.ENVIRONMENT));
    });
  });
}
