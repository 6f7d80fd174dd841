import { parseArgs, type ParseArgsConfig } from 'node:util';
import { resolveMlflowVersion } from '@shared/mlflow/payload';
import { CliUsageError } from './command';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict flag parsing for every command: an unknown flag, a missing value or the wrong number of
 * positionals is a usage error (exit 2), never silently ignored.
 */
export function parseCommandLine<O extends Options>(
  argv: string[],
  options: O,
  positionals: { min: number; max: number; names: string },
) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    // node's messages already name the flag, e.g. "Unknown option '--jsn'".
    throw new CliUsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, '.'));
  }
  const count = parsed.positionals.length;
  if (count < positionals.min) {
    // Name only what is missing: `validate <model-dir>` lacks the body file, not the model folder it was given.
    const names = positionals.names.match(/<[^>]+>/g) ?? [];
    const given = count > 0 && names.length >= positionals.min ? ` (after ${names.slice(0, count).join(' ')})` : '';
    throw new CliUsageError(`Missing ${given ? names.slice(count, positionals.min).join(' ') : positionals.names}${given}.`);
  }
  if (count > positionals.max) {
    throw new CliUsageError(`Too many arguments: expected ${positionals.names}, got ${parsed.positionals.map((p) => `"${p}"`).join(' ')}.`);
  }
  return parsed;
}

/**
 * `--content-type CT`: the header to send, `none` (any case, spaces around) for a request without one, or
 * `fallback` when the flag is absent. One reading for every command that sends or checks a body.
 */
export function contentTypeFlag(value: string | undefined, fallback: string): string | null {
  if (value === undefined) return fallback;
  return value.trim().toLowerCase() === 'none' ? null : value;
}

/**
 * `--content-type` of a command that reads a request body from `bodyPath` (a file, or `-` for stdin): as
 * `contentTypeFlag`, the default being `text/csv` for a `.csv` file and `application/json` otherwise. One default for
 * validate, predict, convert and compare, so a CSV file is read as CSV by each of them.
 */
export function bodyContentTypeFlag(value: string | undefined, bodyPath: string): string | null {
  return contentTypeFlag(value, /\.csv$/i.test(bodyPath) ? 'text/csv' : 'application/json');
}

/**
 * `--mlflow-version X.Y`: the version to emulate, or null when the flag is absent. A value that is not a version
 * is a usage error with the engine's own message (one reading for every command that takes the flag).
 */
export function mlflowVersionFlag(value: string | undefined): string | null {
  if (value === undefined) return null;
  try {
    resolveMlflowVersion(null, null, value);
  } catch (err) {
    throw new CliUsageError(err instanceof Error ? err.message : String(err));
  }
  return value;
}
