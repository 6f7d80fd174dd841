/**
 * Azure ML batch inference on the control plane (azure.md §3.8, mfe.json 2024-04-01): batch endpoints and
 * MLflow model batch deployments (no scoring script, no environment), the compute cluster a deployment
 * runs on, and jobs (`GET {WS}/jobs/{name}`, how `az ml job show` follows a batch job).
 */
import type { ArmClient, LroProgress } from './arm-client';
import { checkName, wsPath, type ArmResource, type WorkspaceRef } from './ml-resources';

export interface BatchEndpointProps {
  /** Batch endpoints accept only Entra tokens (azure.md §3.8). */
  authMode: 'AADToken';
  description?: string;
  defaults?: { deploymentName?: string | null } | null;
  scoringUri?: string;
  provisioningState?: string;
}

export interface BatchDeploymentProps {
  model?: { referenceType: 'Id'; assetId: string } | null;
  compute?: string | null;
  resources?: { instanceCount?: number; instanceType?: string | null } | null;
  maxConcurrencyPerInstance?: number;
  miniBatchSize?: number;
  errorThreshold?: number;
  retrySettings?: { maxRetries?: number; timeout?: string } | null;
  outputAction?: 'AppendRow' | 'SummaryOnly';
  outputFileName?: string;
  loggingLevel?: 'Info' | 'Warning' | 'Debug';
  description?: string;
  provisioningState?: string;
}

export interface JobProps {
  jobType: string;
  status?: string;
  displayName?: string | null;
  experimentName?: string;
  outputs?: Record<string, { jobOutputType: string; uri?: string | null } | null> | null;
  [k: string]: unknown;
}

/** Job states after which nothing changes (JobStatus in mfe.json). */
export const TERMINAL_JOB_STATES = new Set(['Completed', 'Failed', 'Canceled']);

export class BatchResources {
  constructor(private readonly arm: ArmClient) {}

  endpointPath(w: WorkspaceRef, endpoint: string): string {
    return `${wsPath(w)}/batchEndpoints/${encodeURIComponent(checkName('Batch endpoint', endpoint))}`;
  }

  async endpoints(w: WorkspaceRef): Promise<ArmResource<BatchEndpointProps>[]> {
    return this.arm.list(`${wsPath(w)}/batchEndpoints`, 'Listing batch endpoints');
  }

  async endpoint(w: WorkspaceRef, endpoint: string): Promise<ArmResource<BatchEndpointProps>> {
    return this.arm.get(this.endpointPath(w, endpoint), `Reading batch endpoint ${endpoint}`);
  }

  async putEndpoint(w: WorkspaceRef, endpoint: string, body: { location: string; tags?: Record<string, string>; properties: BatchEndpointProps }, onProgress?: (p: LroProgress) => void, signal?: AbortSignal): Promise<ArmResource<BatchEndpointProps>> {
    return this.arm.putAndWait(this.endpointPath(w, endpoint), body, `Creating or updating batch endpoint ${endpoint}`, { onProgress, signal });
  }

  async deleteEndpoint(w: WorkspaceRef, endpoint: string, onProgress?: (p: LroProgress) => void, signal?: AbortSignal): Promise<number> {
    return this.arm.sendAndWait('DELETE', this.endpointPath(w, endpoint), `Deleting batch endpoint ${endpoint}`, { onProgress, signal });
  }

  async deployments(w: WorkspaceRef, endpoint: string): Promise<ArmResource<BatchDeploymentProps>[]> {
    return this.arm.list(`${this.endpointPath(w, endpoint)}/deployments`, `Listing deployments of batch endpoint ${endpoint}`);
  }

  async putDeployment(w: WorkspaceRef, endpoint: string, deployment: string, body: { location: string; tags?: Record<string, string>; properties: BatchDeploymentProps }, onProgress?: (p: LroProgress) => void, signal?: AbortSignal): Promise<ArmResource<BatchDeploymentProps>> {
    return this.arm.putAndWait(`${this.endpointPath(w, endpoint)}/deployments/${encodeURIComponent(checkName('Deployment', deployment))}`, body, `Creating or updating batch deployment ${deployment}`, { onProgress, signal });
  }

  computeId(w: WorkspaceRef, compute: string): string {
    return `${wsPath(w)}/computes/${encodeURIComponent(checkName('Compute', compute))}`;
  }

  async compute(w: WorkspaceRef, compute: string): Promise<ArmResource<{ computeType: string; provisioningState?: string }>> {
    return this.arm.get(this.computeId(w, compute), `Reading compute ${compute}`);
  }

  /** An AmlCompute cluster that scales to zero when idle, so an unused cluster costs nothing. */
  async putCluster(w: WorkspaceRef, compute: string, input: { location: string; vmSize: string; maxNodes: number }, onProgress?: (p: LroProgress) => void, signal?: AbortSignal): Promise<ArmResource<{ computeType: string; provisioningState?: string }>> {
    const body = { location: input.location, properties: { computeType: 'AmlCompute', description: 'Created by Preflight for batch deployments', properties: { vmSize: input.vmSize, vmPriority: 'Dedicated', scaleSettings: { minNodeCount: 0, maxNodeCount: input.maxNodes, nodeIdleTimeBeforeScaleDown: 'PT120S' } } } };
    return this.arm.putAndWait(this.computeId(w, compute), body, `Creating compute cluster ${compute}`, { onProgress, signal });
  }

  /** One read of a job, with the headers (Retry-After tells how long to wait before the next). */
  async job(w: WorkspaceRef, name: string, signal?: AbortSignal): Promise<{ job: ArmResource<JobProps>; headers: Record<string, string> }> {
    const r = await this.arm.call<ArmResource<JobProps>>('GET', `${wsPath(w)}/jobs/${encodeURIComponent(name)}`, `Reading batch job ${name}`, { signal });
    return { job: r.body, headers: r.headers };
  }
}
