/**
 * `GET /score?…` on azureml-inference-server: the parser reads the query string, not the body (A4
 * `InputParserBase._parse_get_parameters`): Werkzeug's `url_decode` (pairs split at `&` only, `+` is a space,
 * percent-escapes decoded as UTF-8 with U+FFFD for bad bytes, a key without `=` has the value ''), then each value
 * `json.loads`-ed — a ValueError keeps the string — and a repeated key gives the list of its values. The dict then
 * goes where a POST's JSON body goes (`_extract_parameters`: `input_data` required). A RecursionError of
 * `json.loads` is no ValueError: it escapes the parser (the route's internal 500). docs/fidelity.md.
 */
import { dumpPyJson, parsePyJson, PyJsonError, type PyValue } from './py-json';
import { percentDecodeUtf8 } from '@shared/text/percent-decode';

/** Werkzeug 2.2 `_url_unquote_legacy`: `+` → space, then `%XX` bytes decoded as UTF-8 (errors='replace'). */
const unquotePlus = (s: string): string => percentDecodeUtf8(s.replace(/\+/g, ' '));

/** The JSON body text equal to what A4 hands on for this query string, or the error that escapes its parser. */
export function a4QueryBody(query: string): { ok: true; body: string } | { ok: false; log: string } {
  const args = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = unquotePlus(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : unquotePlus(pair.slice(eq + 1));
    args.set(key, [...(args.get(key) ?? []), value]);
  }
  const parsed = new Map<string, PyValue>();
  try {
    const load = (v: string): PyValue => {
      try {
        return parsePyJson(v);
      } catch (e) {
        // `_parse_input` catches ValueError (JSONDecodeError, the 4 300-digit limit) only
        if (e instanceof PyJsonError && e.pyType !== 'RecursionError') return v;
        throw e;
      }
    };
    for (const [k, vs] of args) parsed.set(k, vs.length === 1 ? load(vs[0]!) : vs.map(load));
  } catch (e) {
    if (e instanceof PyJsonError) return { ok: false, log: `${e.pyType}: ${e.message}` };
    throw e;
  }
  return { ok: true, body: dumpPyJson(parsed) };
}
