/** Where main-side code writes diagnostics. Secrets must never be passed in. */
export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/** Logs to stderr so stdout stays clean for CLI output (`--json`). */
export const stderrLogger: Logger = {
  info: (m, ...d) => console.error(`[info] ${m}`, ...d),
  warn: (m, ...d) => console.error(`[warn] ${m}`, ...d),
  error: (m, ...d) => console.error(`[error] ${m}`, ...d),
};

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
