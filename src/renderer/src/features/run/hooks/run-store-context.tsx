import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { RunState, RunStore } from '../store/run-store';

const RunStoreContext = createContext<RunStore | null>(null);

/**
 * Makes the local runner's store (created once by the shell with the host's API) available to its panel, and follows the
 * servers' pushed events for the app's lifetime, so a log keeps growing while another tab is shown.
 */
export function RunStoreProvider({ store, children }: { store: RunStore; children: ReactNode }) {
  useEffect(() => store.getState().subscribe(), [store]);
  return <RunStoreContext.Provider value={store}>{children}</RunStoreContext.Provider>;
}

/** Select one value from the local runner's store; re-renders only when that value changes. */
export function useRun<T>(selector: (state: RunState) => T): T {
  const store = useContext(RunStoreContext);
  if (!store) throw new Error('useRun() needs a <RunStoreProvider> above it.');
  return useStore(store, selector);
}
