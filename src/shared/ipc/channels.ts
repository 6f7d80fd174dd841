import { contract, type EventName, type Namespace } from './contract';

/** Every channel starts with this prefix; it is the allowlist on both sides. */
export const CHANNEL_PREFIX = 'preflight:';
export const EVENT_PREFIX = 'preflight:evt:';

export const methodChannel = (ns: string, method: string): string => `${CHANNEL_PREFIX}${ns}.${method}`;
export const eventChannel = (name: string): string => `${EVENT_PREFIX}${name}`;

export interface MethodEntry {
  ns: Namespace;
  method: string;
  channel: string;
}

/** The manifest: every method channel, derived from the contract keys. */
export const methodEntries: readonly MethodEntry[] = Object.entries(contract.methods).flatMap(([ns, methods]) =>
  Object.keys(methods).map((method) => ({ ns: ns as Namespace, method, channel: methodChannel(ns, method) })),
);

export const eventNames = Object.keys(contract.events) as EventName[];

const byChannel = new Map(methodEntries.map((e) => [e.channel, e]));
export const lookupChannel = (channel: string): MethodEntry | undefined => byChannel.get(channel);
