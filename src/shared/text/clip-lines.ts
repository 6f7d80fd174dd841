/**
 * Long log lines cut for showing. A server log quotes what the model was sent (Python's `could not convert string
 * to float: 'xxx…'` holds the whole value), so one bad 50 MB string in a body made a 50 MB log line on the
 * terminal, in the app's server-log block and in the local server's log stream. Each line longer than `maxChars`
 * keeps its start and says how much was cut, the way the child-process stderr lines are cut (StderrLines): the
 * start names the error; the rest is the value the user sent, which they have. Only for logs: an answer *body*
 * is shown byte for byte (it is what a client receives).
 */
export const LOG_LINE_MAX_CHARS = 4000;

/** `text` with every line over `maxChars` cut to `maxChars` plus `… (N more characters)`. Linear; short text is returned as is. */
export function clipLongLines(text: string, maxChars = LOG_LINE_MAX_CHARS): string {
  if (text.length <= maxChars) return text;
  let out = '';
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const length = end - start;
    out += length > maxChars ? `${text.slice(start, start + maxChars)}… (${length - maxChars} more characters)` : text.slice(start, end);
    if (end === text.length) break;
    out += '\n';
    start = end + 1;
  }
  return out;
}
