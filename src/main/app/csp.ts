/**
 * The one Content-Security-Policy. Three deliveries are derived from it so they cannot drift:
 * - the header the Electron session and its `app://` protocol send (`contentSecurityPolicy()`),
 * - the header the browser-mode host sends, widened to its own WebSocket only,
 * - the `<meta>` baked into the built renderer's index.html (`rendererMetaPolicy()`, injected at build time by
 *   electron.vite.config.ts through `injectCspMeta`), which also holds where no header arrives.
 * A page under both a header and a meta policy gets their intersection, so the meta is the outer bound.
 */
export interface CspOptions {
  /** Extra `connect-src` sources beyond 'self' (the browser-mode host's socket; Electron talks over IPC). */
  connectSrc?: string[];
  /** Vite's dev server only: its React-refresh preamble is an inline script, its CSS arrives as <style>. Never in a build. */
  devServer?: boolean;
  /**
   * `meta` leaves out what a `<meta>` policy cannot carry: browsers ignore `frame-ancestors` there (and
   * Chromium logs a console error for it), so framing is refused by the header deliveries only.
   */
  delivery?: 'header' | 'meta';
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const connect = ["'self'", ...(options.connectSrc ?? [])].join(' ');
  const directives = [
    "default-src 'self'",
    options.devServer ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    // Stylesheets only from the app (the build ships no <style> element); React's style attributes (a progress
    // bar's width) are the one inline form allowed, and attributes cannot load or run anything.
    options.devServer ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  if (options.delivery !== 'meta') directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}

/**
 * The policy baked into the built index.html. The same file is served by Electron (`app://`) and by the
 * browser-mode host, whose port is only known at run time, so the meta admits a socket on any loopback port;
 * each host's header then narrows it (Electron: 'self' only; browser mode: its own port).
 */
export function rendererMetaPolicy(options: { devServer?: boolean } = {}): string {
  const devSockets = options.devServer ? ['ws://localhost:*'] : [];
  return contentSecurityPolicy({
    delivery: 'meta',
    connectSrc: ['ws://127.0.0.1:*', ...devSockets],
    devServer: options.devServer === true,
  });
}

/** Where src/renderer/index.html wants the policy: first in <head>, before anything it governs. */
export const CSP_META_PLACEHOLDER = '<!-- preflight:csp-meta -->';

/**
 * Replaces the placeholder with the CSP meta tag. Throws when the placeholder is missing or repeated, so a
 * build can never ship a page without its policy (or with two that disagree).
 */
export function injectCspMeta(html: string, policy: string): string {
  const parts = html.split(CSP_META_PLACEHOLDER);
  if (parts.length !== 2) {
    throw new Error(`index.html must contain ${CSP_META_PLACEHOLDER} exactly once (found ${parts.length - 1}); it marks where the Content-Security-Policy goes.`);
  }
  const escaped = policy.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return parts.join(`<meta http-equiv="Content-Security-Policy" content="${escaped}" />`);
}
