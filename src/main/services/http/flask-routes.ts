/**
 * The path Flask routes on, for the MLflow scoring servers that run Flask behind gunicorn (every version before the
 * FastAPI server of 2.21): not a URL parser's path. gunicorn (`http/message.py` `split_request_uri`, `util.py`)
 * takes the request target as it came — a target starting with `//` is a path, not an authority — splits off the
 * fragment and the query, and percent-decodes the rest into `PATH_INFO`, with no `.`/`..` resolution; werkzeug 2.2
 * (`routing/map.py` `MapAdapter.match`) then matches `"/" + path_info.lstrip("/")`, so any run of leading slashes is
 * one. Measured on the real 2.7.1 / 2.12.2 servers (fresh2 suite, class route2): `//invocations` and `/%69nvocations`
 * score, `/./invocations` and `/ping/../version` are 404, `/ping%20` is 404.
 */
import { percentDecodeUtf8 } from '@shared/text/percent-decode';

/** The path werkzeug matches for the request target `url` (module comment). */
export function flaskPath(url: string | undefined): string {
  let target = url ?? '/';
  const hash = target.indexOf('#');
  if (hash >= 0) target = target.slice(0, hash);
  const q = target.indexOf('?');
  if (q >= 0) target = target.slice(0, q);
  const path = percentDecodeUtf8(target);
  return `/${path.replace(/^\/+/, '')}`;
}

/** What werkzeug's Rule lets through: a GET route answers HEAD too (the body left out). */
export const flaskGetOk = (method: string): boolean => method === 'GET' || method === 'HEAD';

/**
 * Flask's automatic OPTIONS answer on a route that exists (`provide_automatic_options`,
 * `make_default_options_response`): 200, an empty body, Flask's default content type, the route's methods in `Allow`.
 */
export const flaskOptions = (allow: string): { status: number; headers: Record<string, string>; body: string } => ({
  status: 200,
  headers: { 'content-type': 'text/html; charset=utf-8', allow },
  body: '',
});
