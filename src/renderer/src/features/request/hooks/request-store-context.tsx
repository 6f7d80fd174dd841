import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { RequestState, RequestStore } from '../store/request-store';

const RequestStoreContext = createContext<RequestStore | null>(null);

/** Makes the Request store (created by the shell with the host's API) available to the panel. */
export function RequestStoreProvider({ store, children }: { store: RequestStore; children: ReactNode }) {
  return <RequestStoreContext.Provider value={store}>{children}</RequestStoreContext.Provider>;
}

/** Select one value from the Request store; re-renders only when that value changes. */
export function useRequest<T>(selector: (state: RequestState) => T): T {
  const store = useContext(RequestStoreContext);
  if (!store) throw new Error('useRequest() needs a <RequestStoreProvider> above it.');
  return useStore(store, selector);
}
