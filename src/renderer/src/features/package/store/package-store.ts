import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorData } from '@shared/errors';
import type { ClientApi } from '@shared/ipc/create-api';
import type { PackageAzureProgress, PackageAzureResult } from '@shared/packaging/azure-step';
import type { PackageBuildSummary, PackageProgress, PackageVerifyReport } from '@shared/packaging/package-report';
import { DEFAULT_PLATFORM, DEFAULT_PYTHON } from '@shared/packaging/target-defaults';
import { toErrorData } from '../../../lib/errors';

export type PackageApi = Pick<ClientApi, 'package' | 'on'> & { azure: Pick<ClientApi['azure'], 'status'>; app: Pick<ClientApi['app'], 'info'> };

export type AzureSignIn = Awaited<ReturnType<ClientApi['azure']['status']>>;

/** The In-Azure step: sign-in state (the Azure service's), its form, the run's progress and result. */
export interface InAzureState {
  status: AzureSignIn | null;
  statusError: ErrorData | null;
  source: string;
  endpoint: string;
  deployment: string;
  operationId: string | null;
  progress: PackageAzureProgress[];
  result: PackageAzureResult | null;
  error: ErrorData | null;
}

export interface PackageForm {
  out: string;
  wheels: string;
  python: string;
  platform: string;
  deployment: 'online' | 'batch';
  format: 'tar.gz' | 'zip';
  /** Fill what the wheel folder lacks with the host's pip (needs pip and network). */
  download: boolean;
}

export interface PackageState {
  form: PackageForm;
  /** The model the form's defaults were made for; switching models resets the output path. */
  modelPath: string | null;
  operationId: string | null;
  progress: PackageProgress | null;
  summary: PackageBuildSummary | null;
  verifying: boolean;
  verify: PackageVerifyReport | null;
  error: ErrorData | null;
  /** The host has a file dialog for Open package… (the desktop app; browser mode has none: the path is typed). */
  canBrowse: boolean;
  inAzure: InAzureState;
  setField<K extends keyof PackageForm>(key: K, value: PackageForm[K]): void;
  setInAzureField(key: 'source' | 'endpoint' | 'deployment', value: string): void;
  refreshAzureStatus(): Promise<void>;
  runInAzure(): Promise<void>;
  cancelInAzure(): Promise<void>;
  selectModel(modelPath: string): void;
  build(): Promise<void>;
  cancel(): Promise<void>;
  verifyPackage(path?: string): Promise<void>;
  /** "Open package": the host's file dialog, then verify; resolves the path picked (null: cancelled or no dialog). */
  openPackage(): Promise<string | null>;
  subscribe(): () => void;
}

export type PackageStore = StoreApi<PackageState>;

/** Default archive: beside the model folder, never inside it (the package would contain itself). */
export function defaultOut(modelPath: string, format: PackageForm['format']): string {
  return `${modelPath.replace(/[\\/]+$/, '')}-offline.${format}`;
}

/** The Package view's state: the form, the running build and its progress, the build summary and the verify report. */
export function createPackageStore(api: PackageApi, options: { newOperationId?: () => string } = {}): PackageStore {
  let n = 0;
  const newOperationId = options.newOperationId ?? (() => `package-${Date.now().toString(36)}-${++n}`);
  return createStore<PackageState>()((set, get) => {
    const setAzure = (patch: Partial<InAzureState>): void => set({ inAzure: { ...get().inAzure, ...patch } });
    return {
    form: { out: '', wheels: '', python: DEFAULT_PYTHON, platform: DEFAULT_PLATFORM, deployment: 'online', format: 'tar.gz', download: false },
    modelPath: null,
    operationId: null,
    progress: null,
    summary: null,
    verifying: false,
    verify: null,
    error: null,
    canBrowse: false,
    inAzure: { status: null, statusError: null, source: '', endpoint: '', deployment: 'blue', operationId: null, progress: [], result: null, error: null },
    setField: (key, value) => {
      const form = { ...get().form, [key]: value };
      if (key === 'format' && get().modelPath && get().form.out === defaultOut(get().modelPath!, get().form.format)) form.out = defaultOut(get().modelPath!, value as PackageForm['format']);
      set({ form });
    },
    selectModel(modelPath) {
      if (get().modelPath === modelPath) return;
      set({ modelPath, form: { ...get().form, out: defaultOut(modelPath, get().form.format) }, summary: null, verify: null, progress: null, error: null });
    },
    async build() {
      const { form, modelPath, operationId: running } = get();
      if (running !== null || modelPath === null) return;
      const operationId = newOperationId();
      set({ operationId, progress: null, summary: null, verify: null, error: null });
      try {
        const summary = await api.package.build({
          modelPath, out: form.out.trim(), wheels: form.wheels.trim() || null, python: form.python.trim(), platform: form.platform.trim(), deployment: form.deployment, format: form.format, download: form.download ? {} : null, operationId,
        });
        set({ summary });
        if (summary.status === 'succeeded') {
          setAzure({ source: summary.out });
          await get().verifyPackage(summary.out);
        }
      } catch (err) {
        set({ error: toErrorData(err) });
      } finally {
        set({ operationId: null });
      }
    },
    async cancel() {
      const { operationId } = get();
      if (operationId === null) return;
      try {
        await api.package.cancel({ operationId });
      } catch (err) {
        set({ error: toErrorData(err) });
      }
    },
    async verifyPackage(path) {
      const target = (path ?? get().form.out).trim();
      if (!target) return;
      set({ verifying: true, verify: null, error: null });
      try {
        const verify = await api.package.verify({ path: target });
        set({ verify });
        if (verify.verdict === 'PASS' && get().inAzure.operationId === null) setAzure({ source: target });
      } catch (err) {
        set({ error: toErrorData(err) });
      } finally {
        set({ verifying: false });
      }
    },
    async openPackage() {
      try {
        const { path } = await api.package.pickFile({});
        if (path) await get().verifyPackage(path);
        return path;
      } catch (err) {
        set({ error: toErrorData(err) });
        return null;
      }
    },
    setInAzureField(key, value) {
      setAzure({ [key]: value });
    },
    async refreshAzureStatus() {
      try {
        setAzure({ status: await api.azure.status({}), statusError: null });
      } catch (err) {
        setAzure({ status: null, statusError: toErrorData(err) });
      }
    },
    async runInAzure() {
      const a = get().inAzure;
      if (a.operationId !== null || !a.source.trim()) return;
      const operationId = newOperationId();
      setAzure({ operationId, progress: [], result: null, error: null });
      try {
        const result = await api.package.azureRun({ source: a.source.trim(), endpoint: a.endpoint.trim() || null, deployment: a.deployment.trim() || undefined, wheels: get().form.wheels.trim() || null, operationId });
        setAzure({ result });
      } catch (err) {
        setAzure({ error: toErrorData(err) });
      } finally {
        setAzure({ operationId: null });
      }
    },
    async cancelInAzure() {
      const { operationId } = get().inAzure;
      if (operationId === null) return;
      try {
        await api.package.azureCancel({ operationId });
      } catch (err) {
        setAzure({ error: toErrorData(err) });
      }
    },
    subscribe() {
      void api.app.info({}).then(
        (info) => set({ canBrowse: info.canPickFolder }),
        () => set({ canBrowse: false }),
      );
      const offBuild = api.on('package.progress', (p) => {
        if (p.operationId === get().operationId) set({ progress: p });
      });
      const offAzure = api.on('package.azure-progress', (p) => {
        if (p.operationId === get().inAzure.operationId) setAzure({ progress: [...get().inAzure.progress, p].slice(-200) });
      });
      return () => {
        offBuild();
        offAzure();
      };
    },
  };
  });
}
