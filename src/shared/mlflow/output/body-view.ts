/**
 * The `body` field of `predict --json`: the answer's body as a JSON value that stays valid JSON. Python
 * writes NaN/±Infinity as bare tokens, which are not JSON; here they become the strings "NaN",
 * "Infinity", "-Infinity". Text bodies (text/plain, HTML) are the string itself. `body_text` keeps the
 * exact bytes; ints beyond 2^53 are exact only there.
 */
import { mapPyValue, parsePyJson, PyFloat, type PyDict, type PyValue } from '../payload/py-json';

/** Non-finite numbers as strings (JSON has no NaN), integral floats as numbers, ints beyond 2^53 rounded. */
const viewLeaf = (v: Exclude<PyValue, PyValue[] | PyDict>): unknown => {
  const n = v instanceof PyFloat ? v.value : typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number') return n;
  return Number.isFinite(n) ? n : Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
};

export function bodyView(bodyText: string, contentType: string | undefined): unknown {
  if (!contentType || !/^application\/(?:[\w.+-]*\+)?json\b/i.test(contentType)) return bodyText;
  try {
    return mapPyValue(parsePyJson(bodyText, { maxDepth: Infinity }), viewLeaf);
  } catch {
    // MLflow's /version is labelled application/json but is the bare version string.
    return bodyText;
  }
}
