import type { ClientApi } from '@shared/ipc/create-api';

/**
 * What the Azure view calls: `azure.*`, its events, `payload.samples` for a ready-to-send body, and the host's
 * folder picker (with `app.info` saying whether it has one) for batch input/output and export folders.
 */
export type AzureApi = Pick<ClientApi, 'azure' | 'on'> & { payload: Pick<ClientApi['payload'], 'samples'>; app: Pick<ClientApi['app'], 'info'>; model: Pick<ClientApi['model'], 'pickFolder'> };

type Out<M extends keyof ClientApi['azure']> = Awaited<ReturnType<ClientApi['azure'][M]>>;

export type AzureStatus = Out<'status'>;
/** The account picker's entries (no tokens). */
export type AzureAccount = Out<'accounts'>[number];
export type AzureSubscription = Out<'subscriptions'>[number];
export type AzureWorkspace = Out<'workspaces'>[number];
export type AzureModel = Out<'models'>[number];
export type AzureEndpoint = Out<'endpoints'>[number];
export type InvokeAnswer = Out<'invoke'>;
export type DeployResult = Out<'deploy'>;
export type LogsAnswer = Out<'logs'>;
export type BatchEndpoint = Out<'batchEndpoints'>[number];
export type BatchDeployResult = Out<'batchDeploy'>;
export type BatchJobResult = Out<'batchInvoke'>;
export type PredictionsPreview = Out<'batchPreview'>;
export type ExportFile = Out<'exportYaml'>[number];

/** A workspace chosen in full: the saved defaults with every part set. */
export type WorkspaceRef = { [K in keyof AzureStatus['defaults']]: NonNullable<AzureStatus['defaults'][K]> };

export type SignInMethod = 'service-principal' | 'device-code' | 'interactive' | 'azure-cli';

export interface WizardForm {
  endpointMode: 'new' | 'existing';
  endpoint: string;
  authMode: 'Key' | 'AADToken';
  deployment: string;
  instanceType: string;
  instanceCount: number;
}

export interface AzureOperation {
  id: string;
  kind: 'deploy' | 'delete' | 'batch-deploy' | 'batch-job';
  title: string;
  startedAt: number;
  endedAt: number | null;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  upload: { file: string; uploadedBytes: number; totalBytes: number } | null;
  /** One entry per long-running ARM operation, in the order they started; the last one is current. */
  phases: { what: string; state: string; elapsedMs: number }[];
  /** The deployment's container logs while it starts (storage-initializer, inference-server), newest last, at most LOG_TAIL_LINES. */
  logTail: string[];
  result: DeployResult | null;
  message: string | null;
}
