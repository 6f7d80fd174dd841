import type { CliIo } from '../command';

/**
 * A progress line redrawn on stderr (each `line(p)` starts with `\r`), only when stderr is a terminal that can
 * redraw (not `TERM=dumb`, not piped) and `enabled` (e.g. not under `--json`). `end()` leaves the cursor on a
 * fresh line (`\n`) or, with `clear`, wipes the line — and does nothing when nothing was drawn.
 */
export function stderrProgress<P>(io: CliIo, line: (p: P) => string, enabled = true): { onProgress: ((p: P) => void) | undefined; end(options?: { clear?: boolean }): void } {
  const tty = enabled && process.stderr.isTTY === true && io.env.TERM !== 'dumb';
  let drew = false;
  return {
    onProgress: tty
      ? (p) => {
          drew = true;
          io.stderr(line(p));
        }
      : undefined,
    end(options) {
      if (drew) io.stderr(options?.clear ? '\r\u001b[K' : '\n');
      drew = false;
    },
  };
}
