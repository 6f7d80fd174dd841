/**
 * The one Content-Security-Policy, shared by the Electron header and the browser-mode host so the two hosts
 * cannot drift. It mirrors the meta tag in src/renderer/index.html; browser mode widens `connect-src` to its
 * own WebSocket only.
 */
export function contentSecurityPolicy(options: { connectSrc?: string[] } = {}): string {
  const connect = ["'self'", ...(options.connectSrc ?? [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
