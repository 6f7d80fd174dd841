import { stat } from 'node:fs/promises';
import { AppError, ErrorCodes } from '../../../shared/errors';
import { BROWSER_MODE_USAGE, parseBrowserModeArgs, runBrowserMode, UsageError } from '../../host/browser-mode';
import { CliUsageError, ExitCode, type CliCommand } from '../command';
import { reportError } from '../errors';

async function assertModelPathExists(path: string): Promise<void> {
  try {
    await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new AppError(ErrorCodes.NOT_FOUND, `Model folder not found: ${path}. Check the path, or pick the folder that contains the MLmodel file.`);
    }
    throw new AppError(ErrorCodes.UNREADABLE, `${path} could not be opened (${code ?? 'unknown error'}).`);
  }
}

export const openCommand: CliCommand = {
  name: 'open',
  summary: 'Start Preflight in browser mode (http://127.0.0.1) on a model folder',
  usage: BROWSER_MODE_USAGE,
  async run(argv, io) {
    let options;
    try {
      options = parseBrowserModeArgs(argv, io.env, io.cwd);
    } catch (err) {
      if (err instanceof UsageError) throw new CliUsageError(err.message);
      throw err;
    }
    let host;
    try {
      // A mistyped folder must fail here, in the terminal that typed it, not as an error page in a browser.
      if (options.modelPath !== null) await assertModelPathExists(options.modelPath);
      ({ host } = await runBrowserMode(options, { stdout: (line) => io.stdout(`${line}\n`), env: io.env }));
    } catch (err) {
      return reportError(err, io);
    }
    // Serve until Ctrl+C (or the caller aborts), then close sockets cleanly.
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await host.close();
    return ExitCode.OK;
  },
};
