/** Text helpers for the runner's child processes (ONNX worker, ONNX serving process, Python worker). */

/** How much of a child's stderr is kept to explain a crash. */
export const STDERR_TAIL_CHARS = 4000;

/** The last meaningful stderr lines of a crashed child: native stack frames and banner lines dropped. */
export function lastLines(text: string): string {
  // `^<-.*->$` is `^<-+.*-+>$` (the extra dashes are the `.*`'s): the three runs able to take the same dashes made a
  // crashed child's 4 000-character `<---…` line take seconds.
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && !/^\d+: 0x[0-9a-f]+ /.test(l) && !/^=+/.test(l) && !/^<-.*->$/.test(l) && !/^-+ .* -+$/.test(l));
  return lines.slice(-3).join(' | ').slice(0, 600);
}

/** A timeout for people: `300 ms`, `2 s`, `1.5 s`. */
export const formatMs = (ms: number): string => (ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${ms} ms`);
