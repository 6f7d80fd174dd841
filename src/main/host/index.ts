/**
 * Node entry of the browser-mode host (out/node/host.js): `node out/node/host.js [model-dir] [--port N] …`.
 * No electron import: it runs on plain Node ≥ 20.
 */
import { isAppError } from '@shared/errors';
import { installCrashHandlers } from '../app/crash-handlers';
import { BROWSER_MODE_USAGE, parseBrowserModeArgs, runBrowserMode, UsageError } from './browser-mode';

/** Until the host is up, a crash just exits; once it serves, servers and workers are stopped first. */
let shutdown = (code: number): void => process.exit(code);
installCrashHandlers(process, {
  name: 'preflight host',
  write: (line) => console.error(line),
  log: (message, err) => {
    if (process.env.PREFLIGHT_DEBUG === '1' && err instanceof Error && err.stack) console.error(`${message}: ${err.stack}`);
  },
  onRejection: 'continue',
  shutdown: (code) => shutdown(code),
  exitCode: 1,
});

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(BROWSER_MODE_USAGE.replace('preflight open', 'node out/node/host.js'));
    return;
  }
  let options;
  try {
    options = parseBrowserModeArgs(argv, process.env, process.cwd());
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`preflight host: ${err.message}\n\n${BROWSER_MODE_USAGE}`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  const { host, composition } = await runBrowserMode(options, { stdout: (l) => console.log(l), env: process.env });
  // Ctrl+C in a terminal reaches both `npm start`'s launcher and this process; stop once, ignore repeats.
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    // Local scoring servers and Python/ONNX workers are stopped before exiting; a stuck close does not keep a crashed host alive.
    setTimeout(() => process.exit(code), 5_000).unref();
    void host
      .close()
      .finally(() => composition.dispose())
      .finally(() => process.exit(code));
  };
  shutdown = stop;
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
}

main().catch((err: unknown) => {
  // AppErrors are the user's to fix (a missing folder…): their message alone, as the CLI prints them.
  console.error(isAppError(err) ? `preflight: ${err.message}` : `preflight host: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 3;
});
