import { describe, expect, it } from 'vitest';
import { resolveBackend } from './backend';
import type { PreflightBridge } from './bridge';

const page = (search: string, host = '127.0.0.1:43123', protocol = 'http:') => ({ protocol, host, search });

describe('resolveBackend', () => {
  it('uses the preload bridge in Electron, whatever the URL says', () => {
    const bridge = { invoke: async () => ({ ok: true, value: null }), on: () => () => {}, pathForFile: () => '' } as PreflightBridge;
    expect(resolveBackend(page('?token=abc', '', 'file:'), bridge)).toEqual({ kind: 'electron', bridge });
  });

  it('opens the host WebSocket on the page origin with the page token', () => {
    expect(resolveBackend(page('?token=a%2Bb/c'), undefined)).toEqual({
      kind: 'browser',
      wsUrl: 'ws://127.0.0.1:43123/ws?token=a%2Bb%2Fc',
    });
  });

  it('explains how to get a working URL when the token is missing', () => {
    const backend = resolveBackend(page(''), undefined);
    expect(backend.kind).toBe('unavailable');
    expect(backend.kind === 'unavailable' && backend.reason).toMatch(/\?token=/);
  });

  it('refuses a file:// page without the desktop bridge', () => {
    expect(resolveBackend(page('?token=x', '', 'file:'), undefined).kind).toBe('unavailable');
  });
});
