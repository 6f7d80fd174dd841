import { dumpPyJson, parsePyJson } from '@shared/mlflow/payload';

/** Above this a body is put in the editor as it came: indenting megabytes would make typing sluggish. */
const PRETTY_LIMIT = 1_000_000;

/**
 * A JSON body as the playground's editor and result cards show it: indented, with Python's number lexemes kept (`1.0` stays
 * `1.0`, which decides pandas' dtype) — only whitespace changes, which no server cares about. CSV and text stay
 * as they are.
 */
export function editorBody(body: string, contentType: string | null): string {
  if ((contentType !== null && !/json/i.test(contentType)) || body.length > PRETTY_LIMIT) return body;
  try {
    return dumpPyJson(parsePyJson(body), { indent: 2 });
  } catch {
    return body;
  }
}
