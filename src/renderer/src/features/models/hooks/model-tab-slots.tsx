import { createContext, useContext, type ReactNode } from 'react';

/**
 * Tabs of the model view that other features own (Request, Run, Batch…). Features never import each other
 * (ARCHITECTURE.md §2, enforced by eslint's `preflight/layers`): the app shell fills these slots with the
 * other features' panels, and the model view only knows that a slot draws something for a model path.
 */
export type ModelTabSlots = Partial<Record<string, (modelPath: string) => ReactNode>>;

const ModelTabSlotsContext = createContext<ModelTabSlots>({});

export function ModelTabSlotsProvider({ slots, children }: { slots: ModelTabSlots; children: ReactNode }) {
  return <ModelTabSlotsContext.Provider value={slots}>{children}</ModelTabSlotsContext.Provider>;
}

export function useModelTabSlot(tab: string): ((modelPath: string) => ReactNode) | undefined {
  return useContext(ModelTabSlotsContext)[tab];
}
