import type { ValidationResultData } from '@shared/ipc/contract';
import { wouldNotStart } from '@shared/mlflow/payload';
import { withInnerError } from '@shared/compare/exception-text';
import { locateJsonPath } from './json-locate';

/** A mark in the editor: where, how bad, and the engine's words. */
export interface Mark {
  from: number;
  to: number;
  severity: 'error' | 'warning';
  message: string;
}

/**
 * `/(Error|Exception)\b[^:]*:/.test(line)`: a `:` after the first `Error`/`Exception` word (the first has the most
 * text after it). The single pattern retried `[^:]*:` after every such word of a long line (quadratic on a log line
 * the model writes).
 */
function isExceptionLine(line: string): boolean {
  const m = /(Error|Exception)\b/.exec(line);
  return m !== null && line.includes(':', m.index + m[0].length);
}

/** The sentence a rejection is about: the server log's last exception line, else the body's message. */
export function rejectionText(r: ValidationResultData): string {
  const log = r.server_log?.split(/\r?\n/).map((l) => l.trim()).filter(Boolean) ?? [];
  // the last line that starts an exception, with the end of a message that quotes data over several lines
  const start = log.findLastIndex((l) => /^[\w.]*(Error|Exception)\b/.test(l) && isExceptionLine(l));
  if (start >= 0) return withInnerError(log[start]!, log.slice(start + 1));
  const exception = [...log].reverse().find(isExceptionLine) ?? log[0];
  if (exception) return exception;
  const b = r.body;
  if (typeof b === 'string') return b.slice(0, 400);
  if (b && typeof b === 'object' && 'message' in b && typeof (b as { message: unknown }).message === 'string') return (b as { message: string }).message;
  return `rejected with ${r.status}`;
}

function firstIndex(text: string, needle: string): number {
  return needle ? text.indexOf(needle) : -1;
}

/**
 * Where the engine's rejection points in the body. The engine reports warnings with a JSON path but a
 * rejection only in words, so its quoted values and the column it names are looked up in the text;
 * failing that, the first line is marked so the error is still in sight.
 */
function rejectionSpan(body: string, message: string, columns: readonly string[]): { from: number; to: number } {
  for (const m of message.matchAll(/'([^']{1,200})'|"([^"]{1,200})"/g)) {
    const v = m[1] ?? m[2]!;
    const at = firstIndex(body, JSON.stringify(v));
    if (at >= 0 && !columns.includes(v)) return { from: at, to: at + JSON.stringify(v).length };
  }
  for (const c of columns) {
    if (new RegExp(`\\b${c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(message)) {
      const at = firstIndex(body, JSON.stringify(c));
      if (at >= 0) return { from: at, to: at + c.length + 2 };
    }
  }
  const eol = body.indexOf('\n');
  return { from: 0, to: eol < 0 ? body.length : eol };
}

/** Marks for the text the validation was made for: every warning at its JSON path, the rejection where it points. */
export function marksOf(body: string, r: ValidationResultData, columns: readonly string[]): Mark[] {
  const marks: Mark[] = [];
  for (const w of r.warnings) {
    // A warning about the whole body ($) is said in the validation panel; marking every line would hide the rest.
    if (w.path === '$') continue;
    const span = locateJsonPath(body, w.path);
    if (span) marks.push({ from: span.from, to: span.to, severity: 'warning', message: `${w.message} (${w.path})` });
  }
  if (!r.ok && body.length > 0) {
    const message = rejectionText(r);
    marks.push({ ...rejectionSpan(body, message, columns), severity: 'error', message: `${r.status === 0 ? `No answer (${wouldNotStart(r.server)})` : `${r.status}`}: ${message}` });
  }
  return marks;
}
