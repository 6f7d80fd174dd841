import { ErrorCodes, type ErrorData } from '@shared/errors';
import { toErrorData } from '../../../lib/errors';
import type { AzureApi, AzureOperation, BatchEndpoint, BatchJobResult, ExportFile, PredictionsPreview, WorkspaceRef } from './azure-types';

/** Which endpoint the YAML export shows: an online one (model, endpoint, deployments, traffic) or a batch one. */
export interface ExportTarget {
  kind: 'online' | 'batch';
  endpoint: string;
}

export interface BatchForm {
  endpointMode: 'new' | 'existing';
  endpoint: string;
  deployment: string;
  compute: string;
  instanceType: string;
  instanceCount: number;
  miniBatchSize: number;
}

export type BatchFormStep = 'findings' | 'target';

/** The last batch job this window ran: running, its result, or how it ended. */
export interface BatchJobView {
  endpoint: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  result: BatchJobResult | null;
  /** Azure's (or Preflight's) error for a job that failed or could not start. */
  error: ErrorData | null;
  /** The job's name once known (from the result, or the failure's details). */
  job: string | null;
  /** Azure's status of the job when it ended (Completed, Failed, Canceled); null while running or when it never started. */
  azureStatus: string | null;
}

export interface BatchExportState {
  /** Whether the host has a native folder dialog (the desktop app, or a scripted one in tests). */
  canPickFolder: boolean;

  exportTarget: ExportTarget | null;
  exportFiles: ExportFile[];
  exportSelected: string | null;
  exportLoading: boolean;
  exportError: ErrorData | null;
  exportFolder: string;
  exportSaving: boolean;
  exportSaved: { folder: string; written: string[] } | null;
  /** Files already in the folder: the save waits for the user to replace them or not. */
  exportConfirm: string[] | null;

  batchEndpoints: BatchEndpoint[];
  batchLoading: boolean;
  batchError: ErrorData | null;
  /** batchEndpoints holds the selected workspace's answer (false until it arrives, and after it failed). */
  batchLoaded: boolean;
  selectedBatchEndpoint: string | null;

  batchFormOpen: boolean;
  batchFormModel: string | null;
  batchFormStep: BatchFormStep;
  batchConfirmation: string;
  batchForm: BatchForm;

  jobInput: string;
  jobOutDir: string;
  jobDeployment: string | null;
  jobConfirmOverwrite: string | null;
  batchJob: BatchJobView | null;
  preview: PredictionsPreview | null;
  previewError: ErrorData | null;

  loadExport(target: ExportTarget): Promise<void>;
  selectExportFile(name: string): void;
  setExportFolder(folder: string): void;
  /** Fills a folder field from the host's folder dialog (nothing changes when the user cancels). */
  browseFolder(field: 'exportFolder' | 'jobInput' | 'jobOutDir'): Promise<void>;
  saveExport(overwrite?: boolean): Promise<void>;
  dismissExportConfirm(): void;
  closeExport(): void;

  loadBatch(): Promise<void>;
  selectBatchEndpoint(name: string | null): void;
  openBatchForm(modelPath: string): void;
  closeBatchForm(): void;
  setBatchFormStep(step: BatchFormStep): void;
  setBatchConfirmation(text: string): void;
  setBatchForm(patch: Partial<BatchForm>): void;
  batchDeploy(modelDir: string, ignoreFindings: boolean): Promise<void>;

  setJobInput(v: string): void;
  setJobOutDir(v: string): void;
  setJobDeployment(v: string | null): void;
  runBatchJob(overwrite?: boolean): Promise<void>;
  dismissJobOverwrite(): void;
}

export const DEFAULT_BATCH_FORM: BatchForm = { endpointMode: 'new', endpoint: '', deployment: 'default', compute: 'cpu-cluster', instanceType: 'Standard_DS3_v2', instanceCount: 1, miniBatchSize: 10 };

/** Rows the predictions preview shows. */
export const PREVIEW_ROWS = 20;

interface SliceHelpers {
  set(patch: Partial<BatchExportState> & { operation?: AzureOperation | null }): void;
  get(): BatchExportState & { workspace: WorkspaceRef | null; operation: AzureOperation | null };
  newOperationId(): string;
  now(): number;
  finishOperation(patch: Partial<AzureOperation>): void;
}

const newOperation = (id: string, kind: AzureOperation['kind'], title: string, startedAt: number): AzureOperation => ({ id, kind, title, startedAt, endedAt: null, status: 'running', upload: null, phases: [], logTail: [], result: null, message: null });

/**
 * The Azure view's batch endpoints and YAML export (issue 8, UI part): list batch endpoints, create one with
 * an MLflow batch deployment for the open model (readiness gate first, progress in the operations panel),
 * run a job on a local folder, download and preview its predictions; export an endpoint as Azure ML CLI v2
 * YAML, copy it or save it into a folder. Part of the Azure store (it shares the workspace and the operation).
 */
export function batchExportSlice(api: AzureApi, h: SliceHelpers): BatchExportState {
  const { set, get } = h;
  const ws = (): WorkspaceRef | Record<string, never> => get().workspace ?? {};

  const loadPreview = async (path: string): Promise<void> => {
    try {
      set({ preview: await api.azure.batchPreview({ path, rows: PREVIEW_ROWS }), previewError: null });
    } catch (err) {
      set({ previewError: toErrorData(err) });
    }
  };

  return {
    canPickFolder: false,

    exportTarget: null,
    exportFiles: [],
    exportSelected: null,
    exportLoading: false,
    exportError: null,
    exportFolder: '',
    exportSaving: false,
    exportSaved: null,
    exportConfirm: null,

    batchEndpoints: [],
    batchLoading: false,
    batchError: null,
    batchLoaded: false,
    selectedBatchEndpoint: null,

    batchFormOpen: false,
    batchFormModel: null,
    batchFormStep: 'findings',
    batchConfirmation: '',
    batchForm: DEFAULT_BATCH_FORM,

    jobInput: '',
    jobOutDir: '',
    jobDeployment: null,
    jobConfirmOverwrite: null,
    batchJob: null,
    preview: null,
    previewError: null,

    async loadExport(target) {
      set({ exportTarget: target, exportFiles: [], exportSelected: null, exportLoading: true, exportError: null, exportSaved: null, exportConfirm: null });
      void api.app.info({}).then(
        (info) => set({ canPickFolder: info.canPickFolder }),
        () => undefined,
      );
      try {
        const input = { ...ws(), endpoint: target.endpoint };
        const files = target.kind === 'online' ? await api.azure.exportYaml(input) : await api.azure.batchExportYaml(input);
        // A slower answer for an endpoint the user has left since is dropped.
        const now = get().exportTarget;
        if (now?.kind !== target.kind || now.endpoint !== target.endpoint) return;
        set({ exportFiles: files, exportSelected: files[0]?.name ?? null });
      } catch (err) {
        set({ exportError: toErrorData(err) });
      } finally {
        set({ exportLoading: false });
      }
    },
    selectExportFile: (name) => set({ exportSelected: name }),
    setExportFolder: (exportFolder) => set({ exportFolder, exportConfirm: null, exportSaved: null }),
    async browseFolder(field) {
      try {
        const { path } = await api.model.pickFolder({});
        if (path === null) return;
        if (field === 'exportFolder') set({ exportFolder: path, exportConfirm: null, exportSaved: null });
        else set({ [field]: path, jobConfirmOverwrite: null });
      } catch (err) {
        set(field === 'exportFolder' ? { exportError: toErrorData(err) } : { previewError: toErrorData(err) });
      }
    },
    async saveExport(overwrite = false) {
      const { exportFiles, exportFolder, exportSaving } = get();
      if (exportSaving || exportFiles.length === 0 || !exportFolder.trim()) return;
      set({ exportSaving: true, exportError: null, exportSaved: null, exportConfirm: null });
      try {
        set({ exportSaved: await api.azure.saveFiles({ folder: exportFolder.trim(), files: exportFiles, ...(overwrite ? { overwrite: true } : {}) }) });
      } catch (err) {
        const e = toErrorData(err);
        const existing = (e.details as { existing?: unknown } | undefined)?.existing;
        if (e.code === ErrorCodes.OUTPUT_EXISTS && Array.isArray(existing)) set({ exportConfirm: existing.map(String) });
        else set({ exportError: e });
      } finally {
        set({ exportSaving: false });
      }
    },
    dismissExportConfirm: () => set({ exportConfirm: null }),
    closeExport: () => set({ exportTarget: null, exportFiles: [], exportSelected: null, exportError: null, exportSaved: null, exportConfirm: null }),

    async loadBatch() {
      const workspace = get().workspace;
      if (!workspace) return;
      set({ batchLoading: true, batchError: null });
      try {
        const batchEndpoints = await api.azure.batchEndpoints(workspace);
        const selected = get().selectedBatchEndpoint;
        set({ batchEndpoints, batchLoaded: true, selectedBatchEndpoint: selected && batchEndpoints.some((e) => e.name === selected) ? selected : (batchEndpoints[0]?.name ?? null) });
      } catch (err) {
        set({ batchError: toErrorData(err) });
      } finally {
        set({ batchLoading: false });
      }
    },
    selectBatchEndpoint(name) {
      if (name === get().selectedBatchEndpoint) return;
      set({ selectedBatchEndpoint: name, jobDeployment: null, jobConfirmOverwrite: null });
    },
    openBatchForm(modelPath) {
      const endpoints = get().batchEndpoints;
      set({ batchFormOpen: true, batchFormModel: modelPath, batchFormStep: 'findings', batchConfirmation: '', batchForm: { ...get().batchForm, endpointMode: endpoints.length > 0 && get().batchForm.endpointMode === 'existing' ? 'existing' : 'new' } });
    },
    closeBatchForm: () => set({ batchFormOpen: false, batchFormModel: null, batchConfirmation: '' }),
    setBatchFormStep: (batchFormStep) => set({ batchFormStep }),
    setBatchConfirmation: (batchConfirmation) => set({ batchConfirmation }),
    setBatchForm: (patch) => set({ batchForm: { ...get().batchForm, ...patch } }),
    async batchDeploy(modelDir, ignoreFindings) {
      const { batchForm: form, workspace, operation: running } = get();
      if (!workspace || running?.status === 'running') return;
      const id = h.newOperationId();
      const endpoint = form.endpoint.trim();
      const deployment = form.deployment.trim();
      set({ batchFormOpen: false, batchFormModel: null, batchConfirmation: '', operation: newOperation(id, 'batch-deploy', `Create batch deployment ${endpoint}/${deployment}`, h.now()) });
      try {
        const r = await api.azure.batchDeploy({ ...workspace, modelDir, endpoint, deployment, compute: form.compute.trim(), instanceType: form.instanceType.trim(), instanceCount: form.instanceCount, miniBatchSize: form.miniBatchSize, ignoreFindings, operationId: id });
        h.finishOperation({ status: 'succeeded', message: `Batch deployment ${r.deployment} is ${r.state} and the default of ${r.endpoint} (model ${r.model.name}:${r.model.version}, compute ${r.compute}). Run a job on a folder below.` });
        set({ selectedBatchEndpoint: r.endpoint, jobDeployment: null });
      } catch (err) {
        const e = toErrorData(err);
        h.finishOperation(e.code === ErrorCodes.CANCELLED ? { status: 'cancelled', message: `${e.message} Check the batch endpoint later with Refresh.` } : { status: 'failed', message: e.message });
      }
      await get().loadBatch();
    },

    setJobInput: (jobInput) => set({ jobInput, jobConfirmOverwrite: null }),
    setJobOutDir: (jobOutDir) => set({ jobOutDir, jobConfirmOverwrite: null }),
    setJobDeployment: (jobDeployment) => set({ jobDeployment }),
    dismissJobOverwrite: () => set({ jobConfirmOverwrite: null }),
    async runBatchJob(overwrite = false) {
      const { workspace, operation: running, selectedBatchEndpoint: endpoint, jobInput, jobOutDir, jobDeployment } = get();
      if (!workspace || !endpoint || running?.status === 'running') return;
      const id = h.newOperationId();
      set({
        jobConfirmOverwrite: null,
        preview: null,
        previewError: null,
        batchJob: { endpoint, status: 'running', result: null, error: null, job: null, azureStatus: null },
        operation: newOperation(id, 'batch-job', `Batch job on ${endpoint}${jobDeployment ? `/${jobDeployment}` : ''}`, h.now()),
      });
      try {
        const result = await api.azure.batchInvoke({ ...workspace, endpoint, deployment: jobDeployment, input: jobInput.trim(), outDir: jobOutDir.trim(), operationId: id, ...(overwrite ? { overwrite: true } : {}) });
        h.finishOperation({ status: 'succeeded', message: `Batch job ${result.job} ${result.status}; predictions downloaded to ${result.predictionsPath ?? result.outputUri}.` });
        set({ batchJob: { endpoint, status: 'succeeded', result, error: null, job: result.job, azureStatus: result.status } });
        if (result.predictionsPath) await loadPreview(result.predictionsPath);
      } catch (err) {
        const e = toErrorData(err);
        const details = (e.details ?? {}) as { job?: unknown; status?: unknown };
        if (e.code === ErrorCodes.OUTPUT_EXISTS) {
          // Nothing ran: the predictions file is there already; the user decides.
          const file = (e.details as { file?: unknown } | undefined)?.file;
          set({ operation: null, batchJob: null, jobConfirmOverwrite: `${typeof file === 'string' ? file : 'The predictions file'} exists already (from an earlier job?).` });
          return;
        }
        const status = e.code === ErrorCodes.CANCELLED ? 'cancelled' : 'failed';
        h.finishOperation({ status, message: e.message });
        set({ batchJob: { endpoint, status, result: null, error: e, job: typeof details.job === 'string' ? details.job : null, azureStatus: typeof details.status === 'string' ? details.status : null } });
      }
    },
  };
}
