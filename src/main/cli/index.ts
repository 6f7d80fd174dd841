/** Node entry of the CLI (out/node/cli.js, run by bin/preflight.mjs). Plain Node ≥ 20; no electron. */
import { installCrashHandlers } from '../app/crash-handlers';
import { configureCsvLimitsFromEnv } from '@shared/mlflow/payload/limits';
import { stderrLogger, type Logger } from '../ports/logger';
import { runCli } from './run';
import { terminalSafe } from './terminal-safe';

const controller = new AbortController();
let interrupted = false;
const interrupt = () => {
  // The first Ctrl+C (or SIGTERM) asks the command to stop cleanly; a second one forces the exit.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);

const log: Logger =
  process.env.PREFLIGHT_DEBUG === '1' ? stderrLogger : { info: () => {}, warn: stderrLogger.warn, error: () => {} };

// Worker processes are killed by their supervisors' exit handling (SIGKILL on disconnect); exit at once.
installCrashHandlers(process, {
  name: 'preflight',
  write: (line) => process.stderr.write(`${line}\n`),
  log: (message, err) => {
    log.error(message, err);
    if (process.env.PREFLIGHT_DEBUG === '1' && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  },
  onRejection: 'exit',
  shutdown: (code) => process.exit(code),
  exitCode: 3,
});

configureCsvLimitsFromEnv(process.env);

// On a terminal, control characters from the model folder or the model are shown, not obeyed (terminal-safe.ts).
runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(process.stdout.isTTY ? terminalSafe(text) : text),
  stderr: (text) => process.stderr.write(process.stderr.isTTY ? terminalSafe(text, { progress: true }) : text),
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
  log,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`preflight: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 3;
  },
);
