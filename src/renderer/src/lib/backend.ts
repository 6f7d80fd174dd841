import type { PreflightBridge } from './bridge';

/** Where the renderer's API calls go, decided once at start-up from what the page can see. */
export type Backend =
  | { kind: 'electron'; bridge: PreflightBridge }
  | { kind: 'browser'; wsUrl: string }
  | { kind: 'unavailable'; reason: string };

export interface PageLocation {
  protocol: string;
  host: string;
  search: string;
}

/**
 * Electron's preload provides a bridge; the browser-mode host instead hands the page a `?token=` that opens its
 * WebSocket. A page with neither was opened by hand (or from a stale bookmark), so say how to get a working URL.
 */
export function resolveBackend(location: PageLocation, bridge: PreflightBridge | undefined): Backend {
  if (bridge) return { kind: 'electron', bridge };
  const token = new URLSearchParams(location.search).get('token');
  if (!token) {
    return {
      kind: 'unavailable',
      reason:
        'This page was opened without its access token, so it cannot reach the Preflight host. ' +
        'Open the full URL the host printed (it ends in ?token=…), e.g. from `npm start` or `preflight open`.',
    };
  }
  if (location.protocol !== 'http:' && location.protocol !== 'https:') {
    return {
      kind: 'unavailable',
      reason: `This page was loaded from ${location.protocol} without the desktop bridge; open the URL the Preflight host printed instead.`,
    };
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return { kind: 'browser', wsUrl: `${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}` };
}
