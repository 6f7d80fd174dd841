import { ErrorCodes } from '@shared/errors';
import { EVENT_PREFIX } from '@shared/ipc/channels';
import type { Transport } from '@shared/ipc/create-api';
import { fail, type Result } from '@shared/ipc/result';

/** The part of the WebSocket API the transport uses; the browser's and the `ws` package's both fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: () => void): void;
}
export type SocketFactory = (url: string) => SocketLike;

export type ConnectionStatus =
  | { status: 'connecting'; attempt: number }
  | { status: 'open' }
  | { status: 'reconnecting'; attempt: number; retryInMs: number; reason: string }
  | { status: 'closed' };

export interface WsTransportOptions {
  url: string;
  createSocket: SocketFactory;
  onStatus?: (status: ConnectionStatus) => void;
  /** How long a call waits for a connection before failing; the banner tells the user meanwhile. */
  connectTimeoutMs?: number;
  /** Delay before reconnect attempt `n` (1-based). */
  backoffMs?: (attempt: number) => number;
}

export interface WsTransport extends Transport {
  status(): ConnectionStatus;
  /** Skip the back-off wait and try again now (the banner's "Retry now"). */
  reconnectNow(): void;
  /** Close for good: pending calls fail, no reconnect. */
  close(): void;
}

const OPEN = 1;
const defaultBackoff = (attempt: number): number => Math.min(250 * 2 ** (attempt - 1), 5_000);

/** The URL without its secret, for messages that end up on screen and in bug reports. */
export const redactToken = (url: string): string => url.replace(/([?&]token=)[^&]*/, '$1…');

interface Pending {
  channel: string;
  resolve: (result: Result<unknown>) => void;
}
interface Queued extends Pending {
  input: unknown;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The browser-mode transport: frames `{id, channel, input}` → `{id, result}` and pushes `{event, payload}` over one
 * WebSocket (ARCHITECTURE.md §4.4). It reconnects with back-off forever, because the host may simply be restarting;
 * calls made while disconnected wait up to `connectTimeoutMs`, and calls cut off mid-flight fail as envelopes (the
 * host may or may not have finished them, so they are never silently re-sent).
 */
export function createWsTransport(options: WsTransportOptions): WsTransport {
  const { url, createSocket, onStatus } = options;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const backoff = options.backoffMs ?? defaultBackoff;
  const shownUrl = redactToken(url);

  let socket: SocketLike | null = null;
  let current: ConnectionStatus = { status: 'connecting', attempt: 1 };
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  let nextId = 1;
  const inFlight = new Map<number, Pending>();
  const queue: Queued[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const setStatus = (status: ConnectionStatus): void => {
    current = status;
    onStatus?.(status);
  };

  const disconnected = (channel: string, why: string): Result<never> =>
    fail({
      code: ErrorCodes.ENVIRONMENT,
      message: `"${channel}" did not complete: ${why} Check that the Preflight host (npm start / preflight open) is still running; the app reconnects by itself.`,
      details: { url: shownUrl },
    });

  const send = (item: Queued): void => {
    const id = nextId++;
    inFlight.set(id, { channel: item.channel, resolve: item.resolve });
    socket!.send(JSON.stringify({ id, channel: item.channel, input: item.input }));
  };

  const flush = (): void => {
    while (queue.length > 0 && socket?.readyState === OPEN) {
      const item = queue.shift()!;
      clearTimeout(item.timer);
      send(item);
    }
  };

  const onMessage = (data: unknown): void => {
    let frame: unknown;
    try {
      frame = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      console.warn(`Preflight: ignored a frame from ${shownUrl} that is not JSON.`);
      return;
    }
    if (typeof frame !== 'object' || frame === null) return;
    const f = frame as { id?: unknown; result?: unknown; event?: unknown; payload?: unknown };
    if (typeof f.id === 'number' && 'result' in f) {
      const pending = inFlight.get(f.id);
      if (!pending) return;
      inFlight.delete(f.id);
      const result = f.result as Result<unknown> | undefined;
      if (typeof result === 'object' && result !== null && typeof result.ok === 'boolean') pending.resolve(result);
      else
        pending.resolve(
          fail({ code: ErrorCodes.INTERNAL, message: `The host answered "${pending.channel}" with a malformed envelope.` }),
        );
      return;
    }
    if (typeof f.event === 'string') {
      // Accept the event name with or without the channel prefix; hosts differ in which they send.
      const name = f.event.startsWith(EVENT_PREFIX) ? f.event.slice(EVENT_PREFIX.length) : f.event;
      for (const listener of listeners.get(name) ?? []) listener(f.payload);
    }
  };

  const connect = (): void => {
    if (closed) return;
    attempt += 1;
    setStatus({ status: 'connecting', attempt });
    let opened = false;
    const ws = createSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      opened = true;
      attempt = 0;
      setStatus({ status: 'open' });
      flush();
    });
    ws.addEventListener('message', (event) => {
      if (socket === ws) onMessage(event.data);
    });
    ws.addEventListener('error', () => {
      // A 'close' event always follows; that is where recovery happens.
    });
    ws.addEventListener('close', (event) => {
      if (socket !== ws) return;
      socket = null;
      const why = opened
        ? `the connection to ${shownUrl} closed (code ${event.code}${event.reason ? `: ${event.reason}` : ''}).`
        : `could not connect to ${shownUrl} (code ${event.code}${event.reason ? `: ${event.reason}` : ''}).`;
      for (const [id, pending] of inFlight) {
        inFlight.delete(id);
        pending.resolve(disconnected(pending.channel, why));
      }
      if (closed) return;
      const retryInMs = backoff(Math.max(attempt, 1));
      setStatus({ status: 'reconnecting', attempt, retryInMs, reason: why });
      retryTimer = setTimeout(() => {
        retryTimer = null;
        connect();
      }, retryInMs);
    });
  };

  connect();

  return {
    invoke(channel, input) {
      if (closed) return Promise.resolve(disconnected(channel, 'the app closed its connection.'));
      return new Promise((resolve) => {
        const item: Queued = {
          channel,
          input,
          resolve,
          timer: setTimeout(() => {
            const index = queue.indexOf(item);
            if (index >= 0) queue.splice(index, 1);
            const reason = current.status === 'reconnecting' ? current.reason : 'no connection yet.';
            resolve(disconnected(channel, `not connected after ${Math.round(connectTimeoutMs / 1000)} s — ${reason}`));
          }, connectTimeoutMs),
        };
        queue.push(item);
        flush();
      });
    },
    on(event, listener) {
      const name = event.startsWith(EVENT_PREFIX) ? event.slice(EVENT_PREFIX.length) : event;
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    status: () => current,
    reconnectNow() {
      if (closed || current.status !== 'reconnecting') return;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      connect();
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      for (const item of queue.splice(0)) {
        clearTimeout(item.timer);
        item.resolve(disconnected(item.channel, 'the app closed its connection.'));
      }
      const ws = socket;
      socket = null;
      for (const [id, pending] of inFlight) {
        inFlight.delete(id);
        pending.resolve(disconnected(pending.channel, 'the app closed its connection.'));
      }
      ws?.close(1000, 'closed by the app');
      setStatus({ status: 'closed' });
    },
  };
}
