import type { Logger } from '../ports/logger';
import type { RunnerService } from '../services/runner/runner-service';

/** What a command may touch: output streams, environment, working folder. Tests pass their own. */
export interface CliIo {
  /** Writes text as is (commands add their own newlines). */
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on Ctrl+C so long work stops cleanly. */
  signal: AbortSignal;
  log: Logger;
  /**
   * A runner the embedding code already owns: `predict`, `serve` and `compare` then use it, with its owner's
   * settings (trust included), and leave it open. The differential replays share one between `serve` and their own
   * `predict` calls, so each model's Python worker starts once per suite instead of once per server (a worker's
   * start — pandas and scikit-learn imported — costs about 1.3 s of CPU). Without it each command makes its own
   * runner from `env` and closes it.
   */
  runner?: RunnerService;
}

/**
 * Exit codes are a stable interface (ARCHITECTURE §5): scripts and CI pipelines branch on them.
 * 0 ok · 1 the model/payload is invalid (e.g. error-severity findings) · 2 usage error · 3 environment error
 * (missing or unreadable path, invalid MLmodel, no Python, network) · 130 interrupted (Ctrl+C).
 */
export const ExitCode = { OK: 0, INVALID: 1, USAGE: 2, ENVIRONMENT: 3, INTERRUPTED: 130 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** One `preflight <name>` subcommand; add a module under commands/ and list it in commands/index.ts. */
export interface CliCommand {
  name: string;
  /** One line for `preflight --help`. */
  summary: string;
  /** Full usage text for `preflight <name> --help` and usage errors. */
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Thrown for a bad command line; the runner prints the message and the command's usage, exit 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
