/**
 * Azure ML environments and the model-package operation (azure.md §3.9), over the ArmClient:
 *   - an environment version from a Docker build context on the default datastore (`build.contextUri`),
 *   - `POST …/models/{name}/versions/{v}/package?api-version=2024-04-01-preview` (preview only) as an ARM
 *     long-running operation: 202 + Location, polled until 200 with the PackageResponse,
 *   - the environment it produced (read back like the SDK does), and the image build log from `logUrl`.
 * A failed build's message names its log file; Preflight fetches that log too, and never shows the URL's SAS.
 */
import { AppError } from '@shared/errors';
import { withoutSas } from '@shared/packaging/azure-step';
import type { ArmClient, LroProgress } from './arm/arm-client';
import { ML_PACKAGE_API_VERSION } from './arm/api-versions';
import { checkName, wsPath, type ArmResource, type Workspace, type WorkspaceRef } from './arm/ml-resources';
import { AzureErrorCodes, type HttpSend } from './http';
import { maxOf } from '@shared/arrays';

export interface EnvironmentVersionProps {
  image?: string;
  condaFile?: string;
  build?: { contextUri: string; dockerfilePath?: string };
  osType?: 'Linux' | 'Windows';
  description?: string;
  tags?: Record<string, string>;
  provisioningState?: string;
}

export interface PackageRequestBody {
  targetEnvironmentId: string;
  inferencingServer: { serverType: 'AzureMLOnline' | 'AzureMLBatch' };
  baseEnvironmentSource?: { baseEnvironmentSourceType: 'EnvironmentAsset'; resourceId: string };
  modelConfiguration?: { mode: 'Download' | 'Copy'; mountPath?: string };
  environmentVariables?: Record<string, string>;
  tags?: Record<string, string>;
}

export interface PackageResponseBody {
  targetEnvironmentId?: string | null;
  buildId?: string | null;
  buildState?: string;
  logUrl?: string | null;
}

/** The most of a build log Preflight keeps (the tail: that is where a build says why it failed). */
const MAX_LOG_CHARS = 256 * 1024;

const envPath = (ref: WorkspaceRef, name: string): string => `${wsPath(ref)}/environments/${encodeURIComponent(checkName('Environment', name))}`;

export async function environmentVersions(arm: ArmClient, ref: WorkspaceRef, name: string): Promise<ArmResource<EnvironmentVersionProps>[]> {
  return arm.list<ArmResource<EnvironmentVersionProps>>(`${envPath(ref, name)}/versions`, `Listing versions of environment ${name}`).catch((err: unknown) => {
    if ((err as { details?: { status?: number } }).details?.status === 404) return [];
    throw err;
  });
}

export async function getEnvironmentVersion(arm: ArmClient, ref: WorkspaceRef, name: string, version: string): Promise<ArmResource<EnvironmentVersionProps>> {
  return arm.get(`${envPath(ref, name)}/versions/${encodeURIComponent(version)}`, `Reading environment ${name}:${version}`);
}

/** An environment whose image Azure builds from a Docker build context; an identical one already registered is reused. */
export async function registerBuildEnvironment(arm: ArmClient, ref: WorkspaceRef, input: { name: string; contextUri: string; dockerfilePath: string; description: string }): Promise<{ resource: ArmResource<EnvironmentVersionProps>; reused: boolean }> {
  const versions = await environmentVersions(arm, ref, input.name);
  const same = versions.find((v) => v.properties.build?.contextUri === input.contextUri && (v.properties.build?.dockerfilePath ?? 'Dockerfile') === input.dockerfilePath);
  if (same) return { resource: same, reused: true };
  const next = String(maxOf(versions.map((v) => Number(v.name)).filter(Number.isFinite), 0) + 1);
  const body = { properties: { build: { contextUri: input.contextUri, dockerfilePath: input.dockerfilePath }, osType: 'Linux', description: input.description, tags: { createdBy: 'preflight' } } };
  const r = await arm.call<ArmResource<EnvironmentVersionProps>>('PUT', `${envPath(ref, input.name)}/versions/${next}`, `Registering environment ${input.name}:${next}`, { body });
  return { resource: r.body, reused: false };
}

/** `azureml://locations/<loc>/workspaces/<workspace id>/environments/<name>` — the target id form the SDK sends. */
export function targetEnvironmentId(ws: Workspace, name: string): string {
  return `azureml://locations/${ws.location}/workspaces/${ws.workspaceId}/environments/${checkName('Environment', name)}`;
}

/** Name and version of the environment a package produced, from its azureml:// (or ARM) id. */
export function parseEnvironmentId(id: string): { name: string; version: string } | null {
  const m = /\/environments\/([\w.-]+)\/versions\/([\w.-]+)$/.exec(id);
  return m ? { name: m[1]!, version: m[2]! } : null;
}

/** Runs the model-package operation and waits for it; a failed build throws with Azure's message (SAS removed) and its log. */
export async function runModelPackage(
  arm: ArmClient,
  http: HttpSend,
  ref: WorkspaceRef,
  model: { name: string; version: string },
  body: PackageRequestBody,
  options: { onProgress?: (p: LroProgress) => void; signal?: AbortSignal } = {},
): Promise<{ response: PackageResponseBody; buildLog: string }> {
  const path = `${wsPath(ref)}/models/${encodeURIComponent(checkName('Model', model.name))}/versions/${encodeURIComponent(model.version)}/package`;
  try {
    const answer = await arm.sendAndWaitForAnswer<PackageResponseBody>('POST', path, `Packaging model ${model.name}:${model.version}`, { apiVersion: ML_PACKAGE_API_VERSION, body, onProgress: options.onProgress, signal: options.signal });
    const response = answer.body ?? {};
    if (response.buildState && response.buildState !== 'Succeeded') {
      const buildLog = await fetchBuildLog(http, response.logUrl ?? null, options.signal);
      throw new AppError(AzureErrorCodes.AZURE, `Azure's model package build ended ${response.buildState} (build ${response.buildId ?? 'unknown'}). The build log says why.`, { details: { step: 'package', buildLog } });
    }
    return { response, buildLog: await fetchBuildLog(http, response.logUrl ?? null, options.signal) };
  } catch (err) {
    if (!(err instanceof AppError) || (err.details as { buildLog?: string } | undefined)?.buildLog !== undefined) throw err;
    // "Image build failed … For more details, check log file <url>": fetch that log, and drop the URL's SAS from the message.
    const logUrl = /check log file (https?:\/\/\S+?)(?:[.,;]?\s|[.,;]?$)/.exec(err.message)?.[1] ?? null;
    const buildLog = logUrl ? await fetchBuildLog(http, logUrl, options.signal).catch(() => '') : '';
    // No `cause`: it would carry the URL with its SAS token into any log that prints causes.
    throw new AppError(err.code, withoutSas(err.message), { details: { ...((err.details as object | undefined) ?? {}), step: 'package', buildLog } });
  }
}

/** The build log from its blob URL (a read SAS is in the URL: no Azure token is sent with it). */
export async function fetchBuildLog(http: HttpSend, logUrl: string | null, signal?: AbortSignal): Promise<string> {
  if (!logUrl) return '';
  const r = await http({ method: 'GET', url: logUrl, signal, timeoutMs: 60_000 });
  if (r.status !== 200) return `(the build log could not be read: HTTP ${r.status} from ${withoutSas(logUrl)})`;
  return r.text.length > MAX_LOG_CHARS ? `…(${r.text.length - MAX_LOG_CHARS} characters left out)\n${r.text.slice(-MAX_LOG_CHARS)}` : r.text;
}
