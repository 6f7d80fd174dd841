import { contract, type EventName, type EventPayload } from '@shared/ipc/contract';
import type { EventSink } from '../ports/event-sink';
import type { Logger } from '../ports/logger';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * The push side of the contract. Services emit; each transport (Electron windows, WebSocket clients)
 * subscribes once and fans out. Payloads are validated here, before any transport sees them, so a bad
 * payload is a logged bug in main instead of a confusing renderer state.
 */
export class AppEvents implements EventSink {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly log: Logger) {}

  /** Subscribe to every event; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const parsed = contract.events[event].safeParse(payload);
    if (!parsed.success) {
      this.log.error(`event ${event} does not match the contract; not sent`, parsed.error.issues.slice(0, 5));
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(event, parsed.data as EventPayload<E>);
      } catch (err) {
        // One broken transport (a closed socket) must not stop the others.
        this.log.error(`event listener for ${event} failed`, err);
      }
    }
  }
}
