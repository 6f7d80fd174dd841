import { useCallback, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { ErrorPanel } from '../components/ui/ErrorPanel';
import { FolderDropZone } from '../features/models/components/FolderDropZone';
import { ModelsPane } from '../features/models/components/ModelsPane';
import { OpenBar } from '../features/models/components/OpenBar';
import { RecentList } from '../features/models/components/RecentList';
import { ModelsStoreProvider } from '../features/models/hooks/models-store-context';
import { useRecentSync } from '../features/models/hooks/use-recent-sync';
import { createModelsStore } from '../features/models/store/models-store';
import { PlaygroundStoreProvider } from '../features/playground/hooks/playground-store-context';
import { createPlaygroundStore } from '../features/playground/store/playground-store';
import { sessionDrafts } from '../features/playground/store/session-drafts';
import { BatchStoreProvider } from '../features/batch/hooks/batch-store-context';
import { createBatchStore } from '../features/batch/store/batch-store';
import { PackageStoreProvider } from '../features/package/hooks/package-store-context';
import { createPackageStore } from '../features/package/store/package-store';
import { AzureStoreProvider } from '../features/azure/hooks/azure-store-context';
import { createAzureStore } from '../features/azure/store/azure-store';
import { RunStoreProvider } from '../features/run/hooks/run-store-context';
import { createRunStore } from '../features/run/store/run-store';
import { appStateOf } from '../features/models/store/selectors';
import type { HostConnection } from '../lib/api';
import { useConnectionStore } from '../lib/connection-store';
import { setAppState } from './app-state';
import { CommandPalette } from './CommandPalette';
import { ThemeSwitch } from './theme';
import { ConnectionBanner } from './ConnectionBanner';
import { ErrorBoundary } from './ErrorBoundary';
import { TrustDialog } from './TrustDialog';
import { useStartup } from './use-startup';
import { renderWorkTab } from './work-tabs';

function RecentSync({ connected }: { connected: boolean }) {
  useRecentSync(connected);
  return null;
}

/** The shell: connection banner, open bar, recent list, the Models view and a status bar. */
export function App({ host }: { host: HostConnection }) {
  const [store] = useState(() => createModelsStore(host.api));
  const [playgroundStore] = useState(() => createPlaygroundStore(host.api, sessionDrafts(window.sessionStorage)));
  const [runStore] = useState(() => createRunStore(host.api));
  const [batchStore] = useState(() => createBatchStore(host.api));
  const [packageStore] = useState(() => createPackageStore(host.api));
  const [azureStore] = useState(() => createAzureStore(host.api));
  const connected = useConnectionStore((s) => s.status.status === 'open');
  const connectionStatus = useConnectionStore((s) => s.status.status);
  const view = useStore(store, (s) => s.view);
  const openFirst = useCallback((path: string) => void store.getState().open(path), [store]);
  const startup = useStartup(host.api, connected, openFirst);

  useEffect(() => {
    setAppState(startup.error ? 'error' : startup.info === null ? 'loading' : appStateOf(view));
  }, [startup.error, startup.info, view]);

  return (
    <ModelsStoreProvider store={store}>
      <RecentSync connected={connected} />
      <CommandPalette models={store} playground={playgroundStore} />
      <div className="shell">
        {host.kind === 'browser' ? <ConnectionBanner onRetry={host.reconnectNow} /> : null}
        <header className="topbar">
          <div className="brand" title="Preflight — inspect MLflow models before deploying them to Azure ML">
            <span className="brand-mark" aria-hidden="true">
              ◆
            </span>{' '}
            Preflight
          </div>
          <OpenBar canPickFolder={startup.info?.canPickFolder ?? false} />
        </header>
        <div className="workbench">
          <aside className="sidebar">
            <RecentList />
          </aside>
          <main className="main">
            <ErrorBoundary area="the Models view">
              <FolderDropZone pathForFile={host.pathForFile}>
                {startup.error ? (
                  <ErrorPanel
                    title="Could not start"
                    error={startup.error}
                    hint="The host did not answer app.info; check the terminal that started Preflight."
                    actions={
                      <button type="button" className="btn" onClick={startup.retry}>
                        Try again
                      </button>
                    }
                  />
                ) : startup.info === null && view.status === 'idle' ? (
                  <div className="loading" role="status">
                    <span className="spinner" aria-hidden="true" /> Connecting to the Preflight host…
                  </div>
                ) : (
                  <PlaygroundStoreProvider store={playgroundStore}>
                    <RunStoreProvider store={runStore}>
                      <BatchStoreProvider store={batchStore}>
                        <PackageStoreProvider store={packageStore}>
                          <AzureStoreProvider store={azureStore}>
                            <ModelsPane renderWorkTab={renderWorkTab} />
                          </AzureStoreProvider>
                        </PackageStoreProvider>
                      </BatchStoreProvider>
                    </RunStoreProvider>
                  </PlaygroundStoreProvider>
                )}
              </FolderDropZone>
            </ErrorBoundary>
          </main>
        </div>
        <TrustDialog />
        <footer className="statusbar" data-testid="statusbar">
          <span>{host.kind === 'electron' ? 'Desktop' : 'Browser mode'}</span>
          {startup.info ? <span>v{startup.info.version}</span> : null}
          <span className={`status-conn status-${connectionStatus}`}>{connectionStatus === 'open' ? 'connected' : connectionStatus}</span>
          <ThemeSwitch api={host.api} connected={connected} />
        </footer>
      </div>
    </ModelsStoreProvider>
  );
}
