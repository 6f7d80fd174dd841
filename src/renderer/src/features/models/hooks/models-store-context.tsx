import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { ModelsState, ModelsStore } from '../store/models-store';

const ModelsStoreContext = createContext<ModelsStore | null>(null);

/** Makes the Models store (created by the shell with the host's API) available to the feature's components. */
export function ModelsStoreProvider({ store, children }: { store: ModelsStore; children: ReactNode }) {
  return <ModelsStoreContext.Provider value={store}>{children}</ModelsStoreContext.Provider>;
}

/** Select one value from the Models store; re-renders only when that value changes. */
export function useModels<T>(selector: (state: ModelsState) => T): T {
  const store = useContext(ModelsStoreContext);
  if (!store) throw new Error('useModels() needs a <ModelsStoreProvider> above it.');
  return useStore(store, selector);
}
