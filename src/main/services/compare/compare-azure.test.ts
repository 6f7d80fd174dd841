import { describe, expect, it } from 'vitest';
import type { AzureScoring } from '../../ports/azure-scoring';
import { CompareService, type CompareInput } from './compare-service';

/** The compare service's side of azure:<endpoint> targets, with the AzureScoring port played by the test. */
const body = JSON.stringify({ input_data: { columns: ['x'], data: [[1]] } });
const payload = {
  async convert() {
    return { ok: true as const, body, contentType: 'application/json', from: 'azureml_split', warnings: [], notes: [] };
  },
} as unknown as ConstructorParameters<typeof CompareService>[0]['payload'];
const runner = { predict: async () => Promise.reject(new Error('not used')) } as unknown as ConstructorParameters<typeof CompareService>[0]['runner'];

const input = (timeoutMs = 5_000): CompareInput => ({
  modelPath: '/m',
  body,
  contentType: 'application/json',
  targets: [{ kind: 'azure', server: 'azureml', endpoint: 'ep', deployment: 'blue' }],
  headers: [{ name: 'Authorization', value: 'Bearer url-target-secret' }],
  tolerance: { abs: 1e-6, rel: 1e-6 },
  timeoutMs,
});

describe('azure targets in the compare service', () => {
  it('sends the body as Azure reads it, never the URL targets\' headers, and shows a placeholder for the secret', async () => {
    const seen: Parameters<AzureScoring['score']>[0][] = [];
    const azure: AzureScoring = {
      async score(r) {
        seen.push(r);
        return { scoringUri: 'https://ep.westeurope.inference.ml.azure.com/score', authMode: 'Key', status: 200, headers: { 'x-request-id': 'r1' }, body_text: '[1.5]', body: [1.5], latency_ms: 12, explanation: null };
      },
    };
    const r = await new CompareService({ payload, runner, azure }).run(input());
    expect(seen).toEqual([expect.objectContaining({ endpoint: 'ep', deployment: 'blue', body, contentType: 'application/json', timeoutMs: 5_000 })]);
    const t = r.targets[0]!;
    expect(t.request.url).toBe('https://ep.westeurope.inference.ml.azure.com/score');
    expect(t.request.headers).toEqual({ 'content-type': 'application/json', 'azureml-model-deployment': 'blue', authorization: 'Bearer <hidden: endpoint key>' });
    expect(JSON.stringify(r)).not.toContain('url-target-secret');
    expect(t.response?.latency_ms).toBe(12);
  });

  it('gives up at the timeout with E_TIMEOUT, and says to sign in when there is no Azure', async () => {
    const hang: AzureScoring = { score: (r) => new Promise((_, reject) => r.signal?.addEventListener('abort', () => reject(new Error('aborted')))) };
    const slow = await new CompareService({ payload, runner, azure: hang }).run(input(50));
    expect(slow.targets[0]!.error).toEqual({ code: 'E_TIMEOUT', message: expect.stringMatching(/^azure:ep\/blue: no answer within 50 ms/) });
    const none = await new CompareService({ payload, runner }).run(input());
    expect(none.targets[0]!.error?.message).toMatch(/sign in \(the Azure tab/);
  });
  it("roots Azure's 400 and 500 in the Azure tab's explanation, other statuses in the answer's body", async () => {
    const answering = (status: number, message: string, explanation: string): AzureScoring => ({
      score: async () => ({ scoringUri: 'https://ep/score', authMode: 'Key', status, headers: {}, body_text: JSON.stringify({ message }), body: { message }, latency_ms: 1, explanation }),
    });
    const cause = async (status: number, message: string, explanation: string) => (await new CompareService({ payload, runner, azure: answering(status, message, explanation) }).run(input())).targets[0]!.rootCause;
    expect(await cause(500, 'An unexpected error occurred in scoring script. Check the logs for more info.', 'The scoring script raised an error on this request.')).toBe('The scoring script raised an error on this request.');
    expect(await cause(400, 'POST body could not be decoded as JSON', 'The scoring script refused the request body.')).toBe('The scoring script refused the request body.');
    expect(await cause(413, 'Request body too large', 'The endpoint answered 413.')).toBe('Request body too large');
  });
});
