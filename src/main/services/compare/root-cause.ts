/**
 * The root cause of a failed answer, pulled to the top of a result (issue 10): Azure's 424 carries the
 * model container's status and reason only in `ms-azureml-model-error-*` headers (peers.md A3); Azure's
 * generic 500 hides the exception in the server log; MLflow puts it in the body's `message`.
 */
import { withInnerError } from '@shared/compare/exception-text';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The last `SomethingError: …` line of a traceback or log, else its first non-empty line. */
export function rootCauseLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  // = /^[\w.]*(Error|Exception|Failure)\b[^:]*:/ (the name part holds no `:`, so any `:` in the line follows it),
  // split in two: `[^:]*:` retried after every `Error` of a long `Error.Error.…` run re-scanned the line (quadratic).
  const at = lines.findLastIndex((l) => /^[\w.]*(Error|Exception|Failure)\b/.test(l) && l.includes(':'));
  const line = at >= 0 ? withInnerError(lines[at]!, lines.slice(at + 1)) : (lines[0] ?? '');
  return line.length > 400 ? `${line.slice(0, 399)}…` : line;
}


export function rootCauseOf(answer: Answer, serverLog: string | null): string | null {
  if (answer.status >= 200 && answer.status < 300) return null;
  const code = answer.headers['ms-azureml-model-error-statuscode'];
  const reason = answer.headers['ms-azureml-model-error-reason'];
  if (code || reason) return `model error${code ? ` ${code}` : ''}${reason ? `: ${reason}` : ''}`;
  if (serverLog) return rootCauseLine(serverLog);
  const b = answer.body;
  if (typeof b === 'object' && b !== null && !Array.isArray(b)) {
    const msg = (b as Record<string, unknown>).message ?? (b as Record<string, unknown>).error;
    if (typeof msg === 'string' && msg) return rootCauseLine(msg);
  }
  if (typeof b === 'string' && b.trim()) return rootCauseLine(withoutTags(b));
  return null;
}

/**
 * `text.replace(/<[^>]+>/g, ' ')` (an HTML error page's tags to spaces), applied only up to the last `>`: a `<` after
 * it can start no tag, and each such `<` made the pattern scan to the end (quadratic on an answer full of `<`).
 */
function withoutTags(text: string): string {
  const end = text.lastIndexOf('>') + 1;
  return text.slice(0, end).replace(/<[^>]+>/g, ' ') + text.slice(end);
}
