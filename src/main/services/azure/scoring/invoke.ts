/**
 * Calls a deployed endpoint's scoringUri (azure.md §5) with a key or an Entra token, optionally pinned to a
 * deployment (`azureml-model-deployment`), and returns the answer in `predict --json`'s shape
 * {status, headers, body, body_text} so local and cloud answers can be compared. 401/403/404/408/424/429/502/503
 * get a plain-language explanation built from Azure's headers; `x-request-id` is kept for support requests.
 */
import { AppError, ErrorCodes } from '@shared/errors';
import { bodyView } from '@shared/mlflow/output/body-view';
import type { CallOutput } from '@shared/ipc/contract';
import type { HttpSend } from '../http';

/** azure.invoke's answer: predict's shape, plus what a non-2xx status means (`explanation`) and Azure's `x-request-id`. */
export type InvokeAnswer = CallOutput<'azure', 'invoke'>;

const KEPT_HEADERS = ['content-type', 'x-ms-run-function-failed', 'x-request-id', 'azureml-model-deployment', 'ms-azureml-model-error-statuscode', 'ms-azureml-model-error-reason', 'retry-after'];

/** What Azure ML's inference server answers when the scoring script's run() raised (azureml-inference-server-http). */
const SCRIPT_RAISED = /error occurred in scoring script/i;

export function explainScoringStatus(status: number, headers: Record<string, string>, bodyText = '', deployment: string | null = null): string | null {
  if (status >= 200 && status < 300) return null;
  switch (status) {
    case 400:
      return `The scoring script refused the request body (Azure's message is in the body)${/'input_data'/.test(bodyText) ? `: a no-code MLflow deployment reads {"input_data": …}; \`preflight convert body.json --to azureml --model <model-dir>\` rewrites an MLflow body into it` : ''}. Check the body against the model's signature before sending it: \`preflight validate <model-dir> body.json --server azureml\` (or the Playground tab) says what Azure answers and why.`;
    case 500:
      if (SCRIPT_RAISED.test(bodyText))
        return 'The scoring script raised an error on this request (a problem with the body or the model, not a passing Azure failure: sending it again gives the same answer). The traceback is in the deployment\'s logs (`preflight azure logs`, or Logs here); try the same body locally with `preflight predict <model-dir> body.json --server azureml`.';
      return 'Azure ML answered 500: the deployment\'s server failed on this request. Read the deployment\'s logs (`preflight azure logs`, or Logs here); if they show nothing, try again and quote the x-request-id if it persists.';
    case 401:
      return 'The endpoint refused the credentials: the key or token is missing, wrong or expired (keys change when regenerated; Entra tokens need the https://ml.azure.com scope and an endpoint with authMode AADToken).';
    case 403:
      // The key was accepted or not needed: the identity is known but may not score. Azure ML checks the data-plane
      // RBAC action only for Entra-token endpoints (how-to-authenticate-online-endpoint), and an endpoint with public
      // network access disabled refuses callers outside its network.
      return 'The endpoint refused this caller (403 Forbidden): with Entra-token auth the signed-in identity needs a role with Microsoft.MachineLearningServices/workspaces/onlineEndpoints/score/action on the workspace (AzureML Data Scientist has it; a new role assignment takes a few minutes to apply); an endpoint whose public network access is disabled also refuses callers outside its virtual network.';
    case 404:
      // A named deployment bypasses traffic, so a 404 then means that name is not a deployment of the endpoint.
      if (deployment) return `The endpoint has no deployment named "${deployment}" (azureml-model-deployment names it; traffic plays no part): check the name — \`preflight azure endpoints\` lists each endpoint's deployments, as the endpoint's table does here — or name none to go by traffic.`;
      return 'No deployment can take this request: the endpoint has no deployment with positive traffic (set traffic, or name a deployment).';
    case 408:
      return 'The model took longer than the deployment\'s request timeout (request_settings.request_timeout_ms); raise it or make the request smaller.';
    case 424: {
      const code = headers['ms-azureml-model-error-statuscode'];
      const reason = headers['ms-azureml-model-error-reason'];
      return `The model itself failed${code ? ` (the model container answered ${code}${reason ? `: ${reason}` : ''})` : ''}. Check the deployment's logs (\`preflight azure logs\`) and try the same body locally with \`preflight predict\`.`;
    }
    case 429:
      return `Too many requests for the deployment's capacity${headers['retry-after'] ? ` (retry after ${headers['retry-after']} s)` : ''}: slow down, or raise max_concurrent_requests_per_instance or the instance count.`;
    case 502:
      return 'The deployment is not ready or its server crashed: check its provisioning state and logs.';
    case 503: {
      // Azure ML's front end answers 503 when no instance can take the request now: the deployment is being created,
      // updated or scaled (autoscale adding instances), or its instances are full. Usually passing, unlike a 500.
      const after = headers['retry-after'];
      return `Azure ML could not give the request to the deployment${deployment ? ` "${deployment}"` : ''} right now (503 Service Unavailable): it is still being created or updated, scaling (autoscale adding instances), or out of capacity for the requests in flight. Check the deployment's provisioning state (\`preflight azure endpoints\`, or the endpoint's table here) and its logs; if it is Succeeded, send again ${after ? `after ${after} s` : 'in a little while'} with backoff, and if it keeps happening under load raise instance_count (or the autoscale minimum) or max_concurrent_requests_per_instance.`;
    }
    default:
      return status >= 500 ? 'Azure ML failed to process the request; try again, and quote the x-request-id if it persists.' : `The endpoint answered ${status}.`;
  }
}

export async function invokeScoring(
  http: HttpSend,
  input: { scoringUri: string; bearer: string; deployment?: string | null; body: string; contentType?: string | null; signal?: AbortSignal; timeoutMs?: number },
): Promise<InvokeAnswer> {
  const r = await http({
    method: 'POST',
    url: input.scoringUri,
    headers: {
      authorization: `Bearer ${input.bearer}`,
      ...(input.contentType === null ? {} : { 'content-type': input.contentType ?? 'application/json' }),
      ...(input.deployment ? { 'azureml-model-deployment': input.deployment } : {}),
      'x-ms-client-request-id': crypto.randomUUID(),
    },
    body: input.body,
    signal: input.signal,
    timeoutMs: input.timeoutMs ?? 120_000,
  });
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) if (r.headers[name] !== undefined) headers[name] = r.headers[name]!;
  return { status: r.status, headers, body: bodyView(r.text, r.headers['content-type']), body_text: r.text, explanation: explainScoringStatus(r.status, r.headers, r.text, input.deployment ?? null), requestId: r.headers['x-request-id'] ?? null };
}

/** What a cancelled invoke says: a cancel, not a failure, and honest that the endpoint may have scored the request already. */
export function invokeCancelled(endpoint: string): AppError {
  return new AppError(ErrorCodes.CANCELLED, `Invoke of ${endpoint} cancelled: Preflight aborted the request and stopped waiting. If it had reached the endpoint, the deployment may still have scored it (its logs show that).`);
}

/**
 * `work`, ended by `signal` at once with `cancelled()` (work that notices the signal later is left to do so; its
 * own error after the cancel is ignored), and turned into `cancelled()` when it fails because of the signal.
 */
export function untilCancelled<T>(work: Promise<T>, signal: AbortSignal | undefined, cancelled: () => Error): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, (err: unknown) => reject(signal.aborted ? cancelled() : err)).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
