/**
 * Starlette's router around MLflow's FastAPI scoring app (2.21+; S1 `init`), as the real 3.6.1.dev0 server answered
 * (docs/fidelity.md §13):
 * - a `Route` for GET also takes HEAD (starlette/routing.py `Route.__init__`: `if "GET" in self.methods:
 *   self.methods.add("HEAD")`); its 405 lists `", ".join(self.methods)` — a Python set, so the order follows the
 *   process's string hashing: "GET, HEAD" under PYTHONHASHSEED=0 (the recordings), either order on a real host;
 * - a path no route matches, whose twin with a trailing slash added or its trailing slashes removed does match (for any method),
 *   is a 307 to that twin (`Router.redirect_slashes`, on by default): `RedirectResponse(URL(scope=…))`, an empty body,
 *   no Content-Type, the Location built from the Host header and keeping the query string.
 */
import type { IncomingMessage } from 'node:http';

export const FASTAPI_GET_ALLOW = 'GET, HEAD';

/** Every route of the app: MLflow's four and FastAPI's default pages (fastapi-pages.ts). */
const ROUTES = new Set(['/ping', '/health', '/version', '/invocations', '/openapi.json', '/docs', '/docs/oauth2-redirect', '/redoc']);

/** The Location of Starlette's slash redirect for `path`, or null when its twin is no route either. */
export function slashRedirect(req: IncomingMessage, path: string): string | null {
  if (path === '/') return null;
  // starlette/routing.py Router.app: `path.rstrip("/")` when it ends with a slash (every trailing one), else `path + "/"`
  // `(?<!\/)`: the trailing run is tried from a run's first slash only (from every slash, a path of many slashes was
  // re-scanned for each: quadratic on a request path)
  const twin = path.endsWith('/') ? path.replace(/(?<!\/)\/+$/, '') : `${path}/`;
  if (!ROUTES.has(twin)) return null;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  // starlette.datastructures.URL(scope=…): the Host header, else the server's own address (port 80 left out)
  const host = req.headers.host ?? `${req.socket.localAddress ?? '127.0.0.1'}${req.socket.localPort === 80 ? '' : `:${req.socket.localPort ?? 80}`}`;
  return `http://${host}${twin}${q < 0 ? '' : url.slice(q)}`;
}
