import { describe, expect, it } from 'vitest';
import { PUBLIC_CLOUD } from '../cloud';
import type { HttpRequest, HttpResponse, HttpSend } from '../http';
import { ArmClient } from './arm-client';

/**
 * A long-running operation that ends Failed: its status poll answers HTTP 200 with `status: Failed` and Azure's
 * error. The message must say the operation ended Failed with Azure's code and message — not "failed (200 …)",
 * which reads as if Azure had answered OK.
 */
function failingOperation(final: { status: string; error?: { code: string; message: string } } | null): HttpSend {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({ status, headers: { 'content-type': 'application/json', ...headers }, text: JSON.stringify(body) });
  return async (req: HttpRequest) => {
    if (new URL(req.url).pathname.endsWith('/operationStatus/op1')) return json(200, final);
    if (req.method === 'PUT') return json(201, { name: 'blue', properties: { provisioningState: 'Creating' } }, final ? { 'azure-asyncoperation': `${PUBLIC_CLOUD.armEndpoint}/operationStatus/op1` } : {});
    return json(200, { name: 'blue', properties: { provisioningState: 'Failed' } });
  };
}

const token = async (): Promise<string> => 'token';

describe('ARM operations that end Failed', () => {
  it('names the end state and Azure\'s code and message, without the status poll\'s HTTP 200', async () => {
    const http = failingOperation({ status: 'Failed', error: { code: 'ResourceNotReady', message: 'User container has crashed or terminated.' } });
    const arm = new ArmClient({ cloud: PUBLIC_CLOUD, http, token, pollIntervalMs: 0, minPollIntervalMs: 1 });
    const attempt = arm.putAndWait('/x/blue', {}, 'Creating or updating deployment blue');
    await expect(attempt).rejects.toThrow('Creating or updating deployment blue ended Failed (ResourceNotReady): User container has crashed or terminated.');
    await expect(attempt).rejects.not.toThrow(/\(200 /);
  });

  it('a quota failure keeps its hint; a resource left in a Failed provisioning state says so', async () => {
    const quota = new ArmClient({ cloud: PUBLIC_CLOUD, http: failingOperation({ status: 'Failed', error: { code: 'QuotaExceeded', message: 'Not enough cores.' } }), token, pollIntervalMs: 0, minPollIntervalMs: 1 });
    await expect(quota.putAndWait('/x/blue', {}, 'Creating deployment blue')).rejects.toThrow(/ended Failed \(QuotaExceeded\): Not enough cores\. .*request more quota/);
    const noStatusUrl = new ArmClient({ cloud: PUBLIC_CLOUD, http: failingOperation(null), token, pollIntervalMs: 0, minPollIntervalMs: 1 });
    await expect(noStatusUrl.putAndWait('/x/blue', {}, 'Creating deployment blue')).rejects.toThrow('Creating deployment blue ended Failed (ProvisioningFailed): the resource ended in provisioning state Failed');
  });
});
