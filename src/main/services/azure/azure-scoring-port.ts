import type { AzureScoring } from '../../ports/azure-scoring';
import type { AzureDefaults, AzureService } from './azure-service';

/**
 * AzureService as the compare service's `AzureScoring` port: the workspace is the one given
 * (`preflight compare --subscription … --workspace …`) filled from the saved defaults at call time, so a
 * workspace picked in the Azure view applies to the next comparison.
 */
export function azureScoringPort(azure: Pick<AzureService, 'score' | 'workspaceRef'>, given: Partial<AzureDefaults> = {}): AzureScoring {
  return {
    async score(r) {
      const s = await azure.score(azure.workspaceRef(given), { endpoint: r.endpoint, deployment: r.deployment, body: r.body, contentType: r.contentType, signal: r.signal, timeoutMs: r.timeoutMs });
      const a = s.answer;
      return { scoringUri: s.scoringUri, authMode: s.authMode, status: a.status, headers: a.headers, body_text: a.body_text, body: a.body, latency_ms: s.latencyMs, explanation: a.explanation };
    },
  };
}
