import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AzureState, AzureStore } from '../store/azure-store';

const AzureStoreContext = createContext<AzureStore | null>(null);

/** Makes the Azure store (created once by the shell with the host's API) available and follows its events. */
export function AzureStoreProvider({ store, children }: { store: AzureStore; children: ReactNode }) {
  useEffect(() => store.getState().subscribe(), [store]);
  return <AzureStoreContext.Provider value={store}>{children}</AzureStoreContext.Provider>;
}

/** Select one value from the Azure store. */
export function useAzure<T>(selector: (state: AzureState) => T): T {
  const store = useContext(AzureStoreContext);
  if (!store) throw new Error('useAzure() needs an <AzureStoreProvider> above it.');
  return useStore(store, selector);
}
