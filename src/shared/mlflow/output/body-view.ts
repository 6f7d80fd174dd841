/**
 * The `body` field of `predict --json`: the answer's body as a JSON value that stays valid JSON. Python
 * writes NaN/±Infinity as bare tokens, which are not JSON; here they become the strings "NaN",
 * "Infinity", "-Infinity". Text bodies (text/plain, HTML) are the string itself. `body_text` keeps the
 * exact bytes; ints beyond 2^53 are exact only there.
 */
import { parsePyJson, PyFloat, type PyValue } from '../payload/py-json';

function view(v: PyValue): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (v instanceof PyFloat) return view(v.value);
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(view);
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) Object.defineProperty(o, k, { value: view(x), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return v;
}

export function bodyView(bodyText: string, contentType: string | undefined): unknown {
  if (!contentType || !/^application\/(?:[\w.+-]*\+)?json\b/i.test(contentType)) return bodyText;
  try {
    return view(parsePyJson(bodyText, { maxDepth: Infinity }));
  } catch {
    // MLflow's /version is labelled application/json but is the bare version string.
    return bodyText;
  }
}
