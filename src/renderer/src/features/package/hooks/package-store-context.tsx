import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { PackageState, PackageStore } from '../store/package-store';

const PackageStoreContext = createContext<PackageStore | null>(null);

/** Makes the Package store (created once by the shell with the host's API) available and follows its progress events. */
export function PackageStoreProvider({ store, children }: { store: PackageStore; children: ReactNode }) {
  useEffect(() => store.getState().subscribe(), [store]);
  return <PackageStoreContext.Provider value={store}>{children}</PackageStoreContext.Provider>;
}

/** Select one value from the Package store. */
export function usePackage<T>(selector: (state: PackageState) => T): T {
  const store = useContext(PackageStoreContext);
  if (!store) throw new Error('usePackage() needs a <PackageStoreProvider> above it.');
  return useStore(store, selector);
}
