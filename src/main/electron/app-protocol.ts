import { readFile } from 'node:fs/promises';
import { mimeType, resolveStaticFile } from '../host/static-files';

/**
 * The renderer's own origin, `app://preflight`, instead of `file://`: file URLs all share the opaque origin
 * "null" and can read any file the user can, while a privileged standard scheme gives the page a real origin
 * (storage, CSP 'self') and a handler that serves exactly one folder. Pure (no electron import) so the
 * handler is tested with real files and WHATWG Request/Response objects; main.ts registers it.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'preflight';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * `protocol.registerSchemesAsPrivileged` privileges, as VS Code gives its `vscode-file` scheme. `standard`:
 * URLs resolve like http (relative paths, a host, an origin); `secure`: a secure context like https;
 * `corsEnabled` + `supportFetchAPI`: Vite's `<script type="module" crossorigin>` loads go through CORS-mode
 * fetches, which Chromium refuses for schemes without them. No `bypassCSP`, no service workers, no streaming.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } as const;

/** What the handler answers, decided from the URL alone (no I/O) so the routing rule is tested on its own. */
export type AppRequestRoute = { kind: 'file'; urlPath: string } | { kind: 'refuse'; status: 403 | 404 | 405; reason: string };

export function routeAppRequest(method: string, rawUrl: string): AppRequestRoute {
  if (method !== 'GET' && method !== 'HEAD') return { kind: 'refuse', status: 405, reason: `${method} is not allowed` };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { kind: 'refuse', status: 404, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username !== '' || url.password !== '') {
    return { kind: 'refuse', status: 403, reason: `${url.protocol}//${url.host} is not the app` };
  }
  // The path is decoded and confined to the renderer folder by resolveStaticFile (shared with browser mode).
  return { kind: 'file', urlPath: url.pathname };
}

/**
 * The `protocol.handle` handler: files under `rendererDir` only (no `..`, encoded or not; no symlink leaving
 * it; no directories), with their MIME type, the same CSP header as the session, and `nosniff`. Every refusal
 * is a plain-text answer, never a file listing or a path.
 */
export function createAppProtocolHandler(options: { rendererDir: string; csp: string }): (request: Request) => Promise<Response> {
  const headers = (contentType: string): Record<string, string> => ({
    'Content-Type': contentType,
    'Content-Security-Policy': options.csp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  const refuse = (status: number, text: string) => new Response(text, { status, headers: headers('text/plain; charset=utf-8') });
  return async (request) => {
    const route = routeAppRequest(request.method, request.url);
    if (route.kind === 'refuse') return refuse(route.status, `Refused: ${route.reason}.`);
    const file = await resolveStaticFile(options.rendererDir, route.urlPath);
    if (!file) return refuse(404, 'Not found.');
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: headers(mimeType(file)) });
  };
}
