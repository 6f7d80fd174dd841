import { describe, expect, it } from 'vitest';
import { hintFor } from '../arm/arm-errors';
import { blobAccountUrl } from '../storage/model-upload';
import { explainScoringStatus } from './invoke';

describe('scoring status explanations', () => {
  it('decodes 424 from the model-error headers', () => {
    expect(explainScoringStatus(424, { 'ms-azureml-model-error-statuscode': '500', 'ms-azureml-model-error-reason': 'KeyError' })).toMatch(/model container answered 500: KeyError/);
  });
  it('has a sentence for 401, 404, 408, 429 (with Retry-After) and 502, none for 200', () => {
    expect(explainScoringStatus(200, {})).toBeNull();
    expect(explainScoringStatus(401, {})).toMatch(/refused the credentials/);
    expect(explainScoringStatus(404, {})).toMatch(/no deployment with positive traffic/);
    expect(explainScoringStatus(404, {}, '', 'green')).toMatch(/^The endpoint has no deployment named "green"/);
    expect(explainScoringStatus(408, {})).toMatch(/request_timeout_ms/);
    expect(explainScoringStatus(429, { 'retry-after': '7' })).toMatch(/retry after 7 s/);
    expect(explainScoringStatus(502, {})).toMatch(/not ready/);
  });
  it('says what a scoring 403 means and what to ask for (the score/action role), not only the number', () => {
    const text = explainScoringStatus(403, {});
    expect(text).toMatch(/onlineEndpoints\/score\/action/);
    expect(text).toMatch(/AzureML Data Scientist/);
    expect(text).not.toBe('The endpoint answered 403.');
  });

  it('explains a 503: not ready, scaling or out of capacity, with what to check and when to send again', () => {
    const e = explainScoringStatus(503, { 'retry-after': '10' }, 'upstream connect error', 'blue')!;
    expect(e).toMatch(/deployment "blue"/);
    expect(e).toMatch(/being created or updated, scaling .*out of capacity/);
    expect(e).toContain('preflight azure endpoints');
    expect(e).toMatch(/after 10 s/);
    expect(e).toMatch(/instance_count/);
    expect(explainScoringStatus(503, {})).toMatch(/in a little while/);
    // ARM's 503 (after the client's retries) is its own sentence, not the generic "temporary failure".
    expect(hintFor(503, 'ServiceUnavailable')).toMatch(/unavailable right now.*already retried.*Nothing was changed/);
  });
  it('says what a 400 or a 500 of the scoring script means and how to check the body, instead of "try again"', () => {
    // The bodies Azure ML's inference server answers: a body without input_data, and run() raising.
    const noInputData = explainScoringStatus(400, {}, '{"message": "A value is not provided for the \'input_data\' parameter."}')!;
    expect(noInputData).toMatch(/reads \{"input_data": …\}/);
    expect(noInputData).toContain('preflight convert body.json --to azureml');
    expect(noInputData).toContain('preflight validate <model-dir> body.json --server azureml');
    expect(explainScoringStatus(400, {}, '{"message": "POST body could not be decoded as JSON"}')).not.toMatch(/input_data/);
    const raised = explainScoringStatus(500, {}, '{"message": "An unexpected error occurred in scoring script. Check the logs for more info."}')!;
    expect(raised).toMatch(/scoring script raised an error/);
    expect(raised).toMatch(/not a passing Azure failure/);
    expect(raised).toContain('preflight azure logs');
    expect(raised).not.toMatch(/try again/);
    expect(explainScoringStatus(500, {}, 'Fault 500')).toMatch(/logs.*try again/);
  });
});

describe('ARM error hints', () => {
  it('says what to do for 401, 403, 404, 409 and quota', () => {
    expect(hintFor(401, 'InvalidAuthenticationToken')).toMatch(/sign in again/);
    // Shown in the app as well as by the CLI: it names both places to sign in.
    expect(hintFor(401, 'ExpiredAuthenticationToken')).toMatch(/on the Azure tab, or `preflight azure login`/);
    expect(hintFor(403, 'AuthorizationFailed')).toMatch(/AzureML Data Scientist/);
    expect(hintFor(404, 'ResourceNotFound')).toMatch(/does not exist/);
    expect(hintFor(409, 'Conflict')).toMatch(/wait for it to finish/);
    expect(hintFor(400, 'QuotaExceeded')).toMatch(/request more quota/);
    expect(hintFor(400, 'BadArgument')).toBe('');
  });
});

describe('datastore account URL', () => {
  it('is virtual-host style on Azure and path style on a loopback emulator', () => {
    const d = { name: 'workspaceblobstore', accountName: 'acct', containerName: 'c', credentialsType: 'AccountKey' };
    expect(blobAccountUrl({ ...d, endpoint: 'core.windows.net', protocol: 'https' })).toBe('https://acct.blob.core.windows.net');
    expect(blobAccountUrl({ ...d, endpoint: '127.0.0.1:10000', protocol: 'http' })).toBe('http://127.0.0.1:10000/acct');
  });
});
