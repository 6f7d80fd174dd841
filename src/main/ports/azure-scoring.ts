/**
 * What the compare service needs from Azure to call an online endpoint of the signed-in workspace
 * (`azure:<endpoint>[/<deployment>]` targets): the call itself, made where the key or Entra token lives.
 * The secret never comes back through this port — only the scoring URI, the auth mode and the answer —
 * so nothing the compare service returns, logs or stores can carry it. Compose wires AzureService in.
 */
export interface AzureScoringRequest {
  endpoint: string;
  /** Pinned with the `azureml-model-deployment` header; null lets the endpoint's traffic split choose. */
  deployment: string | null;
  body: string;
  contentType: string | null;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface AzureScoringAnswer {
  scoringUri: string;
  /** `Key` or `AADToken`: which secret went in the Authorization header (shown as a placeholder). */
  authMode: string;
  status: number;
  /** Lower-case names; the headers that matter for a comparison (x-request-id, ms-azureml-model-error-*). */
  headers: Record<string, string>;
  body_text: string;
  body: unknown;
  latency_ms: number;
  /** What a non-2xx status means (408/424/429/502 …), in a sentence; null on success. */
  explanation: string | null;
}

export interface AzureScoring {
  /** Throws an error with a `code` and a plain `message` when there is no answer (not signed in, no such endpoint, network). */
  score(request: AzureScoringRequest): Promise<AzureScoringAnswer>;
}
