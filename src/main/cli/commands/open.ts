import { BROWSER_MODE_USAGE, parseBrowserModeArgs, runBrowserMode, UsageError } from '../../host/browser-mode';
import { CliUsageError, ExitCode, type CliCommand } from '../command';
import { reportError } from '../errors';

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
