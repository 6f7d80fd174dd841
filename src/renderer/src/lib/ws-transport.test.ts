import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createWsTransport, redactToken, type ConnectionStatus, type SocketLike, type WsTransport } from './ws-transport';

/**
 * The transport against a real WebSocket server on 127.0.0.1 (the `ws` package, as the browser-mode host uses):
 * frames, pushes, a dropped connection, a host that comes back, and a host that never answers.
 */

interface Host {
  server: WebSocketServer;
  port: number;
  url: string;
  close(): Promise<void>;
}

async function startHost(port = 0, onFrame?: (frame: { id: number; channel: string; input: unknown }, socket: WebSocket) => void): Promise<Host> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const actual = (server.address() as { port: number }).port;
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { id: number; channel: string; input: unknown };
      if (onFrame) onFrame(frame, socket);
      else socket.send(JSON.stringify({ id: frame.id, result: { ok: true, value: { echo: frame.input, channel: frame.channel } } }));
    });
  });
  return {
    server,
    port: actual,
    url: `ws://127.0.0.1:${actual}/ws?token=secret-token`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  };
}

const socketFactory = (url: string): SocketLike => new WebSocket(url) as unknown as SocketLike;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function track(t: WsTransport): WsTransport {
  cleanups.push(() => t.close());
  return t;
}

const waitFor = async (predicate: () => boolean, ms = 5000): Promise<void> => {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('createWsTransport', () => {
  it('sends {id, channel, input} and resolves with the envelope the host answers', async () => {
    const host = await startHost();
    cleanups.push(host.close);
    const t = track(createWsTransport({ url: host.url, createSocket: socketFactory }));
    const [a, b] = await Promise.all([t.invoke('preflight:model.inspect', { path: '/m' }), t.invoke('preflight:app.info', {})]);
    expect(a).toEqual({ ok: true, value: { echo: { path: '/m' }, channel: 'preflight:model.inspect' } });
    expect(b).toEqual({ ok: true, value: { echo: {}, channel: 'preflight:app.info' } });
    expect(t.status()).toEqual({ status: 'open' });
  });

  it('delivers pushes by event name, with or without the channel prefix, until unsubscribed', async () => {
    const host = await startHost();
    cleanups.push(host.close);
    const t = track(createWsTransport({ url: host.url, createSocket: socketFactory }));
    const got: unknown[] = [];
    const off = t.on('model.recent-changed', (p) => got.push(p));
    await t.invoke('preflight:app.info', {});
    for (const c of host.server.clients) {
      c.send(JSON.stringify({ event: 'model.recent-changed', payload: { items: [1] } }));
      c.send(JSON.stringify({ event: 'preflight:evt:model.recent-changed', payload: { items: [2] } }));
      c.send('not json at all');
    }
    await waitFor(() => got.length === 2);
    off();
    for (const c of host.server.clients) c.send(JSON.stringify({ event: 'model.recent-changed', payload: { items: [3] } }));
    await t.invoke('preflight:app.info', {});
    expect(got).toEqual([{ items: [1] }, { items: [2] }]);
  });

  it('fails a call cut off by a dropped connection as E_ENVIRONMENT, then reconnects when the host is back', async () => {
    let host = await startHost(0, () => {
      /* never answers: the call stays in flight */
    });
    const port = host.port;
    const statuses: ConnectionStatus['status'][] = [];
    const t = track(
      createWsTransport({ url: host.url, createSocket: socketFactory, onStatus: (s) => statuses.push(s.status), backoffMs: () => 50 }),
    );
    const pending = t.invoke('preflight:model.inspect', { path: '/big' });
    await waitFor(() => host.server.clients.size === 1);
    await host.close();
    const result = await pending;
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('E_ENVIRONMENT');
      expect(result.error.message).toContain('"preflight:model.inspect" did not complete');
      expect(result.error.message).not.toContain('secret-token');
    }
    await waitFor(() => t.status().status === 'reconnecting');

    host = await startHost(port);
    cleanups.push(host.close);
    await waitFor(() => t.status().status === 'open');
    expect(await t.invoke('preflight:app.info', {})).toMatchObject({ ok: true });
    expect(statuses).toContain('reconnecting');
    expect(statuses.at(-1)).toBe('open');
  });

  it('gives up on a call after connectTimeoutMs when no host is listening, saying why', async () => {
    const host = await startHost();
    const url = host.url;
    await host.close();
    const t = track(createWsTransport({ url, createSocket: socketFactory, connectTimeoutMs: 300, backoffMs: () => 100 }));
    const result = await t.invoke('preflight:app.info', {});
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('E_ENVIRONMENT');
      expect(result.error.message).toMatch(/not connected after/);
      expect(result.error.message).toContain('could not connect to ws://127.0.0.1:');
    }
    expect(t.status().status).toMatch(/reconnecting|connecting/);
  });

  it('reconnectNow skips the back-off wait', async () => {
    const host = await startHost();
    const port = host.port;
    const url = host.url;
    await host.close();
    const t = track(createWsTransport({ url, createSocket: socketFactory, backoffMs: () => 60_000 }));
    await waitFor(() => t.status().status === 'reconnecting');
    const back = await startHost(port);
    cleanups.push(back.close);
    t.reconnectNow();
    await waitFor(() => t.status().status === 'open', 3000);
  });

  it('answers a malformed envelope with E_INTERNAL instead of hanging', async () => {
    const host = await startHost(0, (frame, socket) => socket.send(JSON.stringify({ id: frame.id, result: 'oops' })));
    cleanups.push(host.close);
    const t = track(createWsTransport({ url: host.url, createSocket: socketFactory }));
    expect(await t.invoke('preflight:app.info', {})).toMatchObject({ ok: false, error: { code: 'E_INTERNAL' } });
  });
});

describe('redactToken', () => {
  it('keeps the secret out of messages', () => {
    expect(redactToken('ws://127.0.0.1:1/ws?token=abc&x=1')).toBe('ws://127.0.0.1:1/ws?token=…&x=1');
  });
});
