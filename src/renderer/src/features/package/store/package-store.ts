import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorData } from '../../../../../shared/errors';
import type { ClientApi } from '../../../../../shared/ipc/create-api';
import type { PackageBuildSummary, PackageProgress, PackageVerifyReport } from '../../../../../shared/packaging/package-report';
import { toErrorData } from '../../../lib/errors';

export type PackageApi = Pick<ClientApi, 'package' | 'on'>;

export interface PackageForm {
  out: string;
  wheels: string;
  python: string;
  platform: string;
  deployment: 'online' | 'batch';
  format: 'tar.gz' | 'zip';
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
  setField<K extends keyof PackageForm>(key: K, value: PackageForm[K]): void;
  selectModel(modelPath: string): void;
  build(): Promise<void>;
  cancel(): Promise<void>;
  verifyPackage(path?: string): Promise<void>;
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
  return createStore<PackageState>()((set, get) => ({
    form: { out: '', wheels: '', python: '3.12', platform: 'manylinux_2_17_x86_64', deployment: 'online', format: 'tar.gz' },
    modelPath: null,
    operationId: null,
    progress: null,
    summary: null,
    verifying: false,
    verify: null,
    error: null,
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
          modelPath, out: form.out.trim(), wheels: form.wheels.trim() || null, python: form.python.trim(), platform: form.platform.trim(), deployment: form.deployment, format: form.format, operationId,
        });
        set({ summary });
        if (summary.status === 'succeeded') await get().verifyPackage(summary.out);
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
        set({ verify: await api.package.verify({ path: target }) });
      } catch (err) {
        set({ error: toErrorData(err) });
      } finally {
        set({ verifying: false });
      }
    },
    subscribe() {
      return api.on('package.progress', (p) => {
        if (p.operationId === get().operationId) set({ progress: p });
      });
    },
  }));
}
