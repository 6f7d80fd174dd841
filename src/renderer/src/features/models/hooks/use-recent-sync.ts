import { useEffect } from 'react';
import { useModels } from './models-store-context';

/**
 * Keeps the recent list current: loads it once the host is reachable, and follows `model.recent-changed`
 * pushes (another window, or the CLI's `preflight open`, may open models too).
 */
export function useRecentSync(connected: boolean): void {
  const subscribe = useModels((s) => s.subscribe);
  const refreshRecent = useModels((s) => s.refreshRecent);
  useEffect(() => subscribe(), [subscribe]);
  useEffect(() => {
    if (connected) void refreshRecent();
  }, [connected, refreshRecent]);
}
