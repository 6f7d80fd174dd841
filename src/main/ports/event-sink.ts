import type { EventName, EventPayload } from '@shared/ipc/contract';

/**
 * Where a service pushes contract events (`server.request`, `batch.progress`…). The app's event bus
 * implements it; services depend on this port, never on the bus, so they know no host.
 */
export interface EventSink {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}
