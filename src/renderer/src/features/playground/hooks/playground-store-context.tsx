import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { PlaygroundState, PlaygroundStore } from '../store/playground-store';

const PlaygroundStoreContext = createContext<PlaygroundStore | null>(null);

/** Makes the playground store (created once by the shell with the host's API) available to the tab. */
export function PlaygroundStoreProvider({ store, children }: { store: PlaygroundStore; children: ReactNode }) {
  return <PlaygroundStoreContext.Provider value={store}>{children}</PlaygroundStoreContext.Provider>;
}

/** Select one value from the playground store; re-renders only when that value changes. */
export function usePlayground<T>(selector: (state: PlaygroundState) => T): T {
  const store = useContext(PlaygroundStoreContext);
  if (!store) throw new Error('usePlayground() needs a <PlaygroundStoreProvider> above it.');
  return useStore(store, selector);
}
