import { AppError } from '../errors';
import { methodEntries, eventNames } from './channels';
import type { Api, EventName, EventPayload } from './contract';
import type { Result } from './result';
import { wireCodecOf } from './wire-codecs';

/** How envelopes travel: Electron IPC in the app, a WebSocket in browser mode, a direct call in tests. */
export interface Transport {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  /** Subscribe to a push; returns the unsubscribe function. */
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export type ClientApi = Api & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/**
 * Builds the typed API from the contract manifest over any transport. Envelopes are unwrapped here so the
 * AppError is created in the caller's own realm (class identity does not survive contextBridge).
 */
export function createApi(transport: Transport): ClientApi {
  const api: Record<string, Record<string, (input: unknown) => Promise<unknown>>> = {};
  for (const { ns, method, channel } of methodEntries) {
    api[ns] ??= {};
    const wire = wireCodecOf(channel);
    api[ns][method] = async (input: unknown) => {
      const result = await transport.invoke(channel, input ?? {});
      if (result.ok) return wire ? wire.decode(result.value) : result.value;
      throw AppError.fromData(result.error);
    };
  }
  const on = (event: string, listener: (payload: unknown) => void) => {
    if (!(eventNames as string[]).includes(event)) throw new AppError('E_INVALID_INPUT', `Unknown event "${event}".`);
    return transport.on(event, listener);
  };
  return Object.assign(api, { on }) as unknown as ClientApi;
}
