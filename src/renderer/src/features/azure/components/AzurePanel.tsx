import { useEffect, useState } from 'react';
import { ErrorPanel } from '../../../components/ui/ErrorPanel';
import { TabPanel, Tabs } from '../../../components/ui/Tabs';
import { useAzure } from '../hooks/azure-store-context';
import { sameWorkspace } from '../store/selectors';
import { AccountBar } from './AccountBar';
import { AccountPicker } from './AccountPicker';
import { BatchSection } from './BatchSection';
import { DeployWizard, type DeployModel } from './DeployWizard';
import { EndpointDetail } from './EndpointDetail';
import { OperationsPanel } from './OperationsPanel';
import { ResourceLists } from './ResourceLists';
import { SignInPanel } from './SignInPanel';
import { WorkspaceTree } from './WorkspaceTree';
import '../azure.css';

/** Loads the sign-in status once, then the tree whenever a sign-in appears. */
function useAzureStartup(): void {
  const status = useAzure((s) => s.status);
  const refreshStatus = useAzure((s) => s.refreshStatus);
  const loadTree = useAzure((s) => s.loadTree);
  const haveTree = useAzure((s) => s.subscriptions.length > 0 || s.treeLoading || s.treeError !== null);
  useEffect(() => {
    if (status === null) void refreshStatus();
  }, [status, refreshStatus]);
  useEffect(() => {
    if (status?.signedIn && !haveTree) void loadTree();
  }, [status?.signedIn, haveTree, loadTree]);
}

/**
 * The Azure view (issue 8): account and sign-in, subscription → workspace tree, the workspace's models and
 * online endpoints, Register & deploy of the open model with its operation, and per endpoint invoke, logs,
 * keys and delete. Everything goes through `azure.*`; tokens and keys stay in the main process.
 */
export function AzurePanel({ model, onOpenPackage }: { model: DeployModel | null; onOpenPackage(): void }) {
  useAzureStartup();
  const status = useAzure((s) => s.status);
  const addingAccount = useAzure((s) => s.addingAccount);
  const statusError = useAzure((s) => s.statusError);
  const treeError = useAzure((s) => s.treeError);
  const listsError = useAzure((s) => s.listsError);
  const listsLoading = useAzure((s) => s.listsLoading);
  const workspaces = useAzure((s) => s.workspaces);
  const selected = useAzure((s) => s.workspace);
  const wizardOpen = useAzure((s) => s.wizardOpen);
  const wizardModel = useAzure((s) => s.wizardModel);
  const closeWizard = useAzure((s) => s.closeWizard);
  const operationRunning = useAzure((s) => s.operation?.status === 'running');
  const openWizard = useAzure((s) => s.openWizard);
  const loadLists = useAzure((s) => s.loadLists);
  const refreshStatus = useAzure((s) => s.refreshStatus);
  const workspace = workspaces.find((w) => sameWorkspace(selected, w)) ?? null;
  const modelPath = model?.path ?? null;
  // A wizard (and a typed "deploy anyway") belongs to one model: opening another closes it.
  useEffect(() => {
    if (wizardOpen && wizardModel !== modelPath) closeWizard();
  }, [wizardOpen, wizardModel, modelPath, closeWizard]);
  const batchFormOpen = useAzure((s) => s.batchFormOpen);
  const batchFormModel = useAzure((s) => s.batchFormModel);
  const closeBatchForm = useAzure((s) => s.closeBatchForm);
  useEffect(() => {
    if (batchFormOpen && batchFormModel !== modelPath) closeBatchForm();
  }, [batchFormOpen, batchFormModel, modelPath, closeBatchForm]);
  const batchCount = useAzure((s) => (s.batchLoaded ? s.batchEndpoints.length : null));
  const onlineCount = useAzure((s) => (s.listsLoaded ? s.endpoints.length : null));
  const [kind, setKind] = useState<'azure-online' | 'azure-batch'>('azure-online');

  if (statusError) {
    return <ErrorPanel title="Azure is not available" error={statusError} actions={<button type="button" className="btn" onClick={() => void refreshStatus()}>Try again</button>} />;
  }
  if (!status) {
    return (
      <div className="loading" role="status">
        <span className="spinner" aria-hidden="true" /> Reading the Azure sign-in…
      </div>
    );
  }
  return (
    <div className="azure-view" data-testid="azure-view">
      <AccountBar />
      <AccountPicker />
      {!status.signedIn || addingAccount ? (
        <SignInPanel />
      ) : (
        <div className="azure-layout">
          <WorkspaceTree />
          <div className="azure-main">
            {treeError ? <ErrorPanel title="Could not list workspaces" error={treeError} /> : null}
            {selected ? (
              <header className="azure-ws-head">
                <h3 data-testid="azure-workspace-title">{selected.workspace}</h3>
                <span className="azure-muted">
                  {selected.resourceGroup}
                  {workspace ? ` · ${workspace.location}` : ''}
                </span>
                <span className="azure-push-right azure-actions">
                  <button type="button" className="btn" onClick={() => void loadLists()} disabled={listsLoading || workspace?.privateLink} data-testid="azure-lists-refresh">
                    {listsLoading ? 'Loading…' : 'Refresh'}
                  </button>
                  <button
                    type="button"
                    className="btn btn-primary"
                    disabled={!model || wizardOpen || operationRunning || workspace?.privateLink}
                    title={model ? `Register ${model.name} and deploy it to an online endpoint` : 'Open an MLflow model folder first'}
                    onClick={() => model && openWizard(model.path)}
                    data-testid="azure-register-deploy"
                  >
                    Register &amp; deploy…
                  </button>
                </span>
              </header>
            ) : (
              <p className="azure-note">Choose a workspace in the tree.</p>
            )}
            {workspace?.privateLink ? (
              <div className="azure-card azure-private" data-testid="azure-private-link">
                <p>
                  <strong>{workspace.name}</strong> has public network access disabled (private link). A no-code MLflow deployment installs its Python packages from the internet at
                  start-up, which this workspace cannot do. Build an offline package (wheels included) and deploy that instead.
                </p>
                <button type="button" className="btn" onClick={onOpenPackage} data-testid="azure-open-package">
                  Open the Package tab
                </button>
              </div>
            ) : null}
            {listsError ? <ErrorPanel title="Could not list the workspace's resources" error={listsError} /> : null}
            <OperationsPanel />
            {wizardOpen && model && wizardModel === model.path ? <DeployWizard model={model} workspace={workspace} onOpenPackage={onOpenPackage} /> : null}
            {selected && !workspace?.privateLink ? (
              <>
                <Tabs<'azure-online' | 'azure-batch'>
                  label="Endpoint kinds"
                  tabs={[
                    { id: 'azure-online', label: 'Online endpoints', count: onlineCount },
                    { id: 'azure-batch', label: 'Batch endpoints', count: batchCount },
                  ]}
                  active={kind}
                  onChange={setKind}
                />
                <TabPanel id={kind}>
                  {kind === 'azure-online' ? (
                    <div className="azure-main">
                      <ResourceLists />
                      <EndpointDetail modelPath={model?.path ?? null} />
                    </div>
                  ) : (
                    <BatchSection model={model} />
                  )}
                </TabPanel>
              </>
            ) : null}
          </div>
        </div>
      )}
    </div>
  );
}
