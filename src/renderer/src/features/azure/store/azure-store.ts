import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorData } from '@shared/errors';
import type { EventPayload } from '@shared/ipc/contract';
import { toErrorData } from '../../../lib/errors';
import { batchExportSlice, type BatchExportState } from './batch-export-slice';
import type { AzureAccount, AzureApi, AzureEndpoint, AzureModel, AzureOperation, AzureStatus, AzureSubscription, AzureWorkspace, InvokeAnswer, LogsAnswer, SignInMethod, WizardForm, WorkspaceRef } from './azure-types';
import { pushAll } from '@shared/arrays';

export type WizardStep = 'findings' | 'target' | 'review';

/** Container log lines kept for the operations panel while a deployment starts (older ones scroll away). */
export const LOG_TAIL_LINES = 200;

export interface AzureState extends BatchExportState {
  status: AzureStatus | null;
  statusError: ErrorData | null;

  signInMethod: SignInMethod;
  signingIn: boolean;
  signInOperation: string | null;
  deviceCode: EventPayload<'azure.device-code'> | null;
  signInUrl: string | null;
  signInError: ErrorData | null;

  subscriptions: AzureSubscription[];
  workspaces: AzureWorkspace[];
  treeLoading: boolean;
  treeError: ErrorData | null;
  workspace: WorkspaceRef | null;

  models: AzureModel[];
  endpoints: AzureEndpoint[];
  listsLoading: boolean;
  listsError: ErrorData | null;
  /** models/endpoints hold the selected workspace's answer (false until it arrives, and after it failed): empty lists then say nothing. */
  listsLoaded: boolean;
  selectedEndpoint: string | null;

  wizardOpen: boolean;
  /** The model folder the open wizard is for: another model closes it (and its typed confirmation with it). */
  wizardModel: string | null;
  wizardStep: WizardStep;
  confirmation: string;
  wizard: WizardForm;

  operation: AzureOperation | null;

  logs: LogsAnswer | null;
  logsContainer: 'InferenceServer' | 'StorageInitializer';
  logsDeployment: string | null;
  logsLoading: boolean;
  logsError: ErrorData | null;

  invokeBody: string;
  invokeDeployment: string | null;
  invoking: boolean;
  /** The running invoke's operation id (what Cancel names). */
  invokeOperation: string | null;
  answer: InvokeAnswer | null;
  invokeError: ErrorData | null;
  /** The last invoke was cancelled: what main said (a state of its own, not an error). */
  invokeCancelled: string | null;
  /** The note of the last "Fill from the open model's example", and the body it is about (see `invokeSampleNote`). */
  sampleNote: string | null;
  sampleBody: string | null;

  /** A key the user asked to see; cleared when hidden, when the endpoint changes, and after a minute. */
  revealedKey: { endpoint: string; which: 'primary' | 'secondary'; key: string } | null;
  keyMessage: string | null;
  keyError: ErrorData | null;

  deleting: string | null;
  deleteError: ErrorData | null;

  /** The account picker: user accounts this machine can switch to without signing in again. */
  accounts: AzureAccount[];
  /** Why the last switch of account failed (its sign-in expired, …). */
  accountError: ErrorData | null;
  useAccount(username: string): Promise<void>;
  /** The sign-in form shown while signed in, to add another account (Sign out would forget every account). */
  addingAccount: boolean;
  /** Main's words when a sign-in expired and was forgotten (Entra no longer renews it): shown above the sign-in form. */
  expiredSignIn: string | null;
  setAddingAccount(on: boolean): void;

  refreshStatus(): Promise<void>;
  setSignInMethod(m: SignInMethod): void;
  signInServicePrincipal(i: Parameters<AzureApi['azure']['loginServicePrincipal']>[0]): Promise<boolean>;
  signInDeviceCode(i: { tenant: string; clientId?: string }): Promise<boolean>;
  signInBrowser(i: { tenant: string; clientId?: string }): Promise<boolean>;
  signInAzureCli(i: { tenant?: string }): Promise<boolean>;
  cancelSignIn(): Promise<void>;
  signOut(): Promise<void>;

  loadTree(): Promise<void>;
  selectWorkspace(w: AzureWorkspace): Promise<void>;
  loadLists(): Promise<void>;
  selectEndpoint(name: string | null): void;

  /** Opens the wizard on its first step: the readiness findings. */
  openWizard(modelPath: string): void;
  closeWizard(): void;
  setWizardStep(step: WizardStep): void;
  setConfirmation(text: string): void;
  setWizard(patch: Partial<WizardForm>): void;
  deploy(modelDir: string, ignoreFindings: boolean): Promise<void>;
  cancelOperation(): Promise<void>;
  dismissOperation(): void;

  setLogsContainer(c: 'InferenceServer' | 'StorageInitializer'): void;
  setLogsDeployment(d: string | null): void;
  loadLogs(): Promise<void>;

  setInvokeBody(body: string): void;
  setInvokeDeployment(d: string | null): void;
  fillSample(modelPath: string): Promise<void>;
  invoke(): Promise<void>;
  /** Aborts the running invoke (its HTTP request included). */
  cancelInvoke(): Promise<void>;

  copyKey(which: 'primary' | 'secondary'): Promise<void>;
  revealKey(which: 'primary' | 'secondary'): Promise<void>;
  hideKey(): void;

  deleteEndpoint(name: string): Promise<boolean>;

  subscribe(): () => void;
}

export type AzureStore = StoreApi<AzureState>;

const DEFAULT_WIZARD: WizardForm = { endpointMode: 'new', endpoint: '', authMode: 'Key', deployment: 'blue', instanceType: 'Standard_DS3_v2', instanceCount: 1 };
const KEY_VISIBLE_MS = 60_000;

export interface AzureStoreOptions {
  newOperationId?: () => string;
  now?: () => number;
  /** Timers for hiding a revealed key (tests pass fakes). */
  setTimer?: (fn: () => void, ms: number) => unknown;
}

/**
 * The Azure view's state: sign-in, the subscription → workspace tree, the selected workspace's models and
 * endpoints, the Register & deploy wizard and its operation, logs, invoke and keys. Secrets: a service
 * principal's secret is passed straight through to main and never kept; an endpoint key is held only while
 * the user has it revealed.
 */
export function createAzureStore(api: AzureApi, options: AzureStoreOptions = {}): AzureStore {
  let n = 0;
  const newOperationId = options.newOperationId ?? (() => `azure-${Date.now().toString(36)}-${++n}`);
  const now = options.now ?? (() => Date.now());
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));

  return createStore<AzureState>()((set, get) => {
    const ref = (): WorkspaceRef | Record<string, never> => get().workspace ?? {};
    const endpointRef = () => ({ ...ref(), endpoint: get().selectedEndpoint ?? '' });

    /** Main forgot a sign-in Entra no longer renews (details.signInAgain): the account bar then offers Sign in again. */
    const signInExpired = (err: unknown): void => {
      const details = toErrorData(err).details as { signInAgain?: boolean } | undefined;
      if (!details?.signInAgain) return;
      set({ expiredSignIn: toErrorData(err).message });
      void get().refreshStatus();
    };

    /** Runs one sign-in call with the shared busy/error handling; true when signed in. */
    const signIn = async (call: (operationId: string) => Promise<unknown>): Promise<boolean> => {
      if (get().signingIn) return false;
      const operationId = newOperationId();
      set({ signingIn: true, signInOperation: operationId, signInError: null, deviceCode: null, signInUrl: null });
      try {
        await call(operationId);
        set({ addingAccount: false, expiredSignIn: null });
        await get().refreshStatus();
        await get().loadTree();
        return true;
      } catch (err) {
        set({ signInError: toErrorData(err) });
        return false;
      } finally {
        set({ signingIn: false, signInOperation: null, deviceCode: null, signInUrl: null });
      }
    };

    /**
     * The selection moved away from the endpoint a running invoke is for: that request is aborted (best effort) and its
     * answer, error or cancel will be dropped when it settles (`invoke` checks its operation id), so the new endpoint's
     * panel never shows another endpoint's answer and its Send is free at once.
     */
    const abandonInvoke = (): Partial<AzureState> => {
      const operationId = get().invokeOperation;
      if (!operationId) return {};
      void api.azure.cancel({ operationId }).catch(() => undefined);
      return { invoking: false, invokeOperation: null };
    };

    const finishOperation = (patch: Partial<AzureOperation>): void => {
      const op = get().operation;
      if (op) set({ operation: { ...op, ...patch, endedAt: now() } });
    };

    return {
      ...batchExportSlice(api, { set, get, newOperationId, now, finishOperation }),
      status: null,
      statusError: null,
      signInMethod: 'service-principal',
      signingIn: false,
      signInOperation: null,
      deviceCode: null,
      signInUrl: null,
      signInError: null,
      subscriptions: [],
      workspaces: [],
      treeLoading: false,
      treeError: null,
      workspace: null,
      models: [],
      endpoints: [],
      listsLoading: false,
      listsError: null,
      listsLoaded: false,
      selectedEndpoint: null,
      wizardOpen: false,
      wizardModel: null,
      wizardStep: 'findings',
      confirmation: '',
      wizard: DEFAULT_WIZARD,
      operation: null,
      logs: null,
      logsContainer: 'InferenceServer',
      logsDeployment: null,
      logsLoading: false,
      logsError: null,
      invokeBody: '',
      invokeDeployment: null,
      invoking: false,
      invokeOperation: null,
      answer: null,
      invokeError: null,
      invokeCancelled: null,
      sampleNote: null,
      sampleBody: null,
      revealedKey: null,
      keyMessage: null,
      keyError: null,
      deleting: null,
      deleteError: null,

      accounts: [],
      accountError: null,
      addingAccount: false,
      expiredSignIn: null,
      setAddingAccount: (addingAccount) => set({ addingAccount, signInError: null }),
      async useAccount(username) {
        set({ accountError: null, expiredSignIn: null });
        // What was read with the other account (lists, an answer, a key) is not this one's.
        await get().cancelOperation();
        try {
          await api.azure.useAccount({ username });
        } catch (err) {
          set({ accountError: toErrorData(err) });
          await get().refreshStatus();
          return;
        }
        set({ ...abandonInvoke(), subscriptions: [], workspaces: [], models: [], endpoints: [], listsLoaded: false, selectedEndpoint: null, logs: null, answer: null, revealedKey: null, keyMessage: null, wizardOpen: false, batchEndpoints: [], batchLoaded: false, selectedBatchEndpoint: null, batchJob: null, preview: null, batchFormOpen: false, exportTarget: null, exportFiles: [] });
        await get().refreshStatus();
        await get().loadTree();
      },
      async refreshStatus() {
        // The picker's accounts beside the status; an older host without the call has none.
        void Promise.resolve()
          .then(() => api.azure.accounts({}))
          .then(
            (accounts) => set({ accounts }),
            () => set({ accounts: [] }),
          );
        try {
          const status = await api.azure.status({});
          const d = status.defaults;
          const workspace = get().workspace ?? (d.subscription && d.resourceGroup && d.workspace ? { subscription: d.subscription, resourceGroup: d.resourceGroup, workspace: d.workspace } : null);
          set({ status, statusError: null, workspace });
        } catch (err) {
          set({ statusError: toErrorData(err) });
        }
      },
      setSignInMethod: (signInMethod) => set({ signInMethod, signInError: null }),
      signInServicePrincipal: (i) => signIn(() => api.azure.loginServicePrincipal(i)),
      signInDeviceCode: (i) => signIn((operationId) => api.azure.loginDeviceCode({ ...i, operationId })),
      signInBrowser: (i) => signIn((operationId) => api.azure.loginInteractive({ ...i, operationId })),
      signInAzureCli: (i) => signIn(() => api.azure.loginAzureCli(i)),
      async cancelSignIn() {
        const operationId = get().signInOperation;
        if (operationId) await api.azure.cancel({ operationId }).catch(() => undefined);
      },
      async signOut() {
        // A deploy, delete or batch job still being waited for would otherwise fail on its next poll with "Not signed
        // in", as if Azure had stopped too: stop waiting first, so its panel says Azure carries on.
        await get().cancelOperation();
        try {
          await api.azure.logout({});
        } catch (err) {
          set({ signInError: toErrorData(err) });
        }
        set({ ...abandonInvoke(), subscriptions: [], workspaces: [], models: [], endpoints: [], listsLoaded: false, selectedEndpoint: null, logs: null, answer: null, revealedKey: null, keyMessage: null, wizardOpen: false, batchEndpoints: [], batchLoaded: false, selectedBatchEndpoint: null, batchJob: null, preview: null, batchFormOpen: false, exportTarget: null, exportFiles: [] });
        await get().refreshStatus();
      },

      async loadTree() {
        set({ treeLoading: true, treeError: null });
        try {
          const subscriptions = await api.azure.subscriptions({});
          const workspaces: AzureWorkspace[] = [];
          for (const s of subscriptions) pushAll(workspaces, await api.azure.workspaces({ subscription: s.subscriptionId }));
          set({ subscriptions, workspaces });
          if (get().workspace) await get().loadLists();
        } catch (err) {
          set({ treeError: toErrorData(err) });
          signInExpired(err);
        } finally {
          set({ treeLoading: false });
        }
      },
      async selectWorkspace(w) {
        const workspace = { subscription: w.subscription, resourceGroup: w.resourceGroup, workspace: w.name };
        set({ ...abandonInvoke(), workspace, models: [], endpoints: [], listsLoaded: false, listsError: null, selectedEndpoint: null, logs: null, answer: null, invokeError: null, invokeCancelled: null, revealedKey: null, keyMessage: null, batchEndpoints: [], batchLoaded: false, selectedBatchEndpoint: null, batchJob: null, preview: null, exportTarget: null, exportFiles: [] });
        try {
          // Saved as the default, so the CLI and the next session start here too.
          await api.azure.useWorkspace(workspace);
        } catch (err) {
          set({ listsError: toErrorData(err) });
          return;
        }
        if (!w.privateLink) await get().loadLists();
      },
      async loadLists() {
        const workspace = get().workspace;
        if (!workspace) return;
        set({ listsLoading: true, listsError: null });
        try {
          const [models, endpoints] = await Promise.all([api.azure.models(workspace), api.azure.endpoints(workspace)]);
          const selected = get().selectedEndpoint;
          set({ models, endpoints, listsLoaded: true, selectedEndpoint: selected && endpoints.some((e) => e.name === selected) ? selected : (endpoints[0]?.name ?? null) });
          // Batch endpoints are listed beside (their own error shows in the Batch tab).
          void get().loadBatch();
        } catch (err) {
          set({ listsError: toErrorData(err) });
          signInExpired(err);
        } finally {
          set({ listsLoading: false });
        }
      },
      selectEndpoint(name) {
        if (name === get().selectedEndpoint) return;
        set({ ...abandonInvoke(), selectedEndpoint: name, logs: null, logsError: null, logsDeployment: null, answer: null, invokeError: null, invokeCancelled: null, invokeDeployment: null, revealedKey: null, keyMessage: null, keyError: null, deleteError: null });
      },

      openWizard(modelPath) {
        set({ wizardOpen: true, wizardModel: modelPath, wizardStep: 'findings', confirmation: '' });
      },
      closeWizard: () => set({ wizardOpen: false, wizardModel: null, confirmation: '' }),
      setWizardStep: (wizardStep) => set({ wizardStep }),
      setConfirmation: (confirmation) => set({ confirmation }),
      setWizard: (patch) => set({ wizard: { ...get().wizard, ...patch } }),
      async deploy(modelDir, ignoreFindings) {
        const { wizard, workspace, operation: running } = get();
        if (!workspace || running?.status === 'running') return;
        const id = newOperationId();
        const endpoint = wizard.endpoint.trim();
        const deployment = wizard.deployment.trim();
        set({
          wizardOpen: false,
          wizardModel: null,
          confirmation: '',
          operation: { id, kind: 'deploy', title: `Register & deploy to ${endpoint}/${deployment}`, startedAt: now(), endedAt: null, status: 'running', upload: null, phases: [], logTail: [], result: null, message: null },
        });
        try {
          const result = await api.azure.deploy({ ...workspace, modelDir, endpoint, deployment, instanceType: wizard.instanceType.trim(), instanceCount: wizard.instanceCount, authMode: wizard.authMode, ignoreFindings, operationId: id });
          finishOperation({ status: 'succeeded', result, message: `Deployment ${result.deployment} is ${result.state} with 100 % of ${result.endpoint}'s traffic; model ${result.model.name}:${result.model.version}.` });
          set({ selectedEndpoint: result.endpoint, invokeDeployment: null });
        } catch (err) {
          const e = toErrorData(err);
          finishOperation(e.code === 'E_CANCELLED' ? { status: 'cancelled', message: `${e.message} Check the endpoint later with Refresh.` } : { status: 'failed', message: e.message });
        }
        await get().loadLists();
      },
      async cancelOperation() {
        const op = get().operation;
        if (!op || op.status !== 'running') return;
        await api.azure.cancel({ operationId: op.id }).catch(() => undefined);
      },
      dismissOperation() {
        if (get().operation?.status !== 'running') set({ operation: null });
      },

      setLogsContainer: (logsContainer) => set({ logsContainer }),
      setLogsDeployment: (logsDeployment) => set({ logsDeployment }),
      async loadLogs() {
        if (!get().selectedEndpoint) return;
        set({ logsLoading: true, logsError: null });
        try {
          set({ logs: await api.azure.logs({ ...endpointRef(), deployment: get().logsDeployment, container: get().logsContainer, tail: 500 }) });
        } catch (err) {
          set({ logsError: toErrorData(err) });
        } finally {
          set({ logsLoading: false });
        }
      },

      setInvokeBody: (invokeBody) => set({ invokeBody }),
      setInvokeDeployment: (invokeDeployment) => set({ invokeDeployment }),
      async fillSample(modelPath) {
        try {
          const samples = await api.payload.samples({ modelPath });
          set({ invokeBody: samples.azureml.body, sampleNote: samples.azureml.note, sampleBody: samples.azureml.body });
        } catch (err) {
          set({ invokeError: toErrorData(err) });
        }
      },
      async invoke() {
        if (!get().selectedEndpoint || get().invoking) return;
        const operationId = newOperationId();
        const target = endpointRef();
        set({ invoking: true, invokeOperation: operationId, invokeError: null, invokeCancelled: null, answer: null });
        // Still the request the panel shows: the same operation (not abandoned by a switch) for the endpoint selected now.
        const current = (): boolean => get().invokeOperation === operationId && get().selectedEndpoint === target.endpoint;
        let outcome: Partial<AzureState>;
        try {
          outcome = { answer: await api.azure.invoke({ ...target, deployment: get().invokeDeployment, body: get().invokeBody, contentType: 'application/json', operationId }) };
        } catch (err) {
          const e = toErrorData(err);
          outcome = e.code === 'E_CANCELLED' ? { invokeCancelled: e.message } : { invokeError: e };
        }
        if (current()) set({ ...outcome, invoking: false, invokeOperation: null });
        else if (get().invokeOperation === operationId) set({ invoking: false, invokeOperation: null });
      },
      async cancelInvoke() {
        const operationId = get().invokeOperation;
        if (operationId) await api.azure.cancel({ operationId }).catch(() => undefined);
      },

      async copyKey(which) {
        set({ keyMessage: null, keyError: null });
        try {
          set({ keyMessage: (await api.azure.copyKey({ ...endpointRef(), which })).message });
        } catch (err) {
          set({ keyError: toErrorData(err) });
        }
      },
      async revealKey(which) {
        const endpoint = get().selectedEndpoint;
        if (!endpoint) return;
        set({ keyMessage: null, keyError: null });
        try {
          const { key } = await api.azure.revealKey({ ...endpointRef(), which });
          const revealed = { endpoint, which, key };
          set({ revealedKey: revealed });
          setTimer(() => {
            if (get().revealedKey === revealed) set({ revealedKey: null });
          }, KEY_VISIBLE_MS);
        } catch (err) {
          set({ keyError: toErrorData(err) });
        }
      },
      hideKey: () => set({ revealedKey: null }),

      async deleteEndpoint(name) {
        const workspace = get().workspace;
        if (!workspace || get().deleting) return false;
        const id = newOperationId();
        set({ deleting: name, deleteError: null, operation: { id, kind: 'delete', title: `Delete endpoint ${name}`, startedAt: now(), endedAt: null, status: 'running', upload: null, phases: [], logTail: [], result: null, message: null } });
        try {
          await api.azure.deleteEndpoint({ ...workspace, endpoint: name, operationId: id });
          finishOperation({ status: 'succeeded', message: `Endpoint ${name} and its deployments are deleted.` });
          if (get().selectedEndpoint === name) get().selectEndpoint(null);
          return true;
        } catch (err) {
          const e = toErrorData(err);
          finishOperation({ status: e.code === 'E_CANCELLED' ? 'cancelled' : 'failed', message: e.message });
          set({ deleteError: e });
          return false;
        } finally {
          set({ deleting: null });
          await get().loadLists();
        }
      },

      subscribe() {
        const offs = [
          api.on('azure.progress', (p) => {
            const op = get().operation;
            if (!op || p.operationId !== op.id || op.status !== 'running') return;
            if (p.kind === 'upload') {
              set({ operation: { ...op, upload: { file: p.file, uploadedBytes: p.uploadedBytes, totalBytes: p.totalBytes } } });
              return;
            }
            if (p.kind === 'log') {
              const lines = p.lines.map((l) => `[${p.deployment} ${p.container === 'StorageInitializer' ? 'storage-initializer' : 'inference-server'}] ${l}`);
              set({ operation: { ...op, logTail: [...op.logTail, ...lines].slice(-LOG_TAIL_LINES) } });
              return;
            }
            const phases = [...op.phases];
            const last = phases[phases.length - 1];
            const entry = { what: p.what, state: p.state, elapsedMs: p.elapsedMs };
            if (last && last.what === p.what) phases[phases.length - 1] = entry;
            else phases.push(entry);
            set({ operation: { ...op, phases } });
          }),
          api.on('azure.device-code', (p) => {
            if (get().signingIn) set({ deviceCode: p });
          }),
          api.on('azure.sign-in-url', (p) => {
            if (get().signingIn) set({ signInUrl: p.url });
          }),
        ];
        return () => offs.forEach((off) => off());
      },
    };
  });
}
