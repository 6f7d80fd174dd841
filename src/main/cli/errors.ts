import { ErrorCodes, isAppError } from '@shared/errors';
import { ExitCode, type CliIo } from './command';

/**
 * For commands whose options are checked by the service (batch, package): its E_INVALID_INPUT (and the
 * command's other usage codes, e.g. batch's E_OUTPUT_EXISTS) is a usage error (exit 2); everything else is
 * reported as `reportError` does.
 */
export function reportOptionOrError(err: unknown, io: CliIo, usageCodes: readonly string[] = [ErrorCodes.INVALID_INPUT]): number {
  if (isAppError(err) && usageCodes.includes(err.code)) {
    io.stderr(`preflight: ${err.message}\n`);
    return ExitCode.USAGE;
  }
  return reportError(err, io);
}

/**
 * Prints an error the way every command does — `preflight: <message>` on stderr, no stack — and returns
 * the exit code. Stacks of unexpected errors go to the log (and to stderr with PREFLIGHT_DEBUG=1).
 */
export function reportError(err: unknown, io: CliIo): number {
  // An AbortSignal's own error (Ctrl+C reaching a stream or a timer before a service turned it into E_CANCELLED).
  if ((err instanceof Error && err.name === 'AbortError') || (isAppError(err) && err.code === ErrorCodes.CANCELLED)) {
    io.stderr('preflight: cancelled\n');
    return ExitCode.INTERRUPTED;
  }
  if (isAppError(err)) {
    io.stderr(`preflight: ${err.message}\n`);
    return ExitCode.ENVIRONMENT;
  }
  io.log.error('unexpected error', err);
  const detail = err instanceof Error ? err.message : String(err);
  io.stderr(`preflight: unexpected error: ${detail}\n`);
  if (io.env.PREFLIGHT_DEBUG === '1' && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
  return ExitCode.ENVIRONMENT;
}
