/**
 * What the CLI prints comes partly from the model folder (MLmodel values, file names, problems quoting them) and
 * from the model (a text body): someone who hands a user a model folder controls those characters. On a terminal,
 * escape sequences in them can clear the screen or rewrite earlier lines (hiding an error finding under "Ready"),
 * set the window title, or write the clipboard (OSC 52); a bare carriage return overwrites the start of a line, and
 * bidi overrides reorder what is shown. Such characters are shown as visible escapes (`\x1b`, `\u202e`) instead.
 *
 * Kept: newline, tab, a carriage return before a newline (CRLF text), and — on stderr, where Preflight draws its
 * own progress line — a carriage return and the erase-line sequence ESC[K. Only a terminal gets this: piped or
 * redirected output stays byte for byte (`predict` promises the body exactly).
 */

// C0 controls but \t and \n, DEL, C1 controls, bidi embeddings/overrides/isolates, line/paragraph separators.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string, options: { progress?: boolean } = {}): string {
  return text.replace(UNSAFE, (c: string, at: number) => {
    if (c === '\r' && (options.progress || at === text.length - 1 || text[at + 1] === '\n')) return c;
    if (c === '\u001b' && options.progress && text.startsWith('[K', at + 1)) return c;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
