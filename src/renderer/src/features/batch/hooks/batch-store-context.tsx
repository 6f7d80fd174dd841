import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { BatchState, BatchStore } from '../store/batch-store';

const BatchStoreContext = createContext<BatchStore | null>(null);

/** Makes the Batch store (created once by the shell with the host's API) available and follows its progress events. */
export function BatchStoreProvider({ store, children }: { store: BatchStore; children: ReactNode }) {
  useEffect(() => store.getState().subscribe(), [store]);
  return <BatchStoreContext.Provider value={store}>{children}</BatchStoreContext.Provider>;
}

/** Select one value from the Batch store. */
export function useBatch<T>(selector: (state: BatchState) => T): T {
  const store = useContext(BatchStoreContext);
  if (!store) throw new Error('useBatch() needs a <BatchStoreProvider> above it.');
  return useStore(store, selector);
}
