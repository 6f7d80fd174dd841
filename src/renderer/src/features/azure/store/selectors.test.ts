import { describe, expect, it } from 'vitest';
import type { Finding } from '@shared/mlflow/model-report';
import type { AzureEndpoint, AzureOperation, AzureWorkspace, WizardForm } from './azure-types';
import { answerView, findingsCleared, modelLabel, nameProblem, phaseRows, uploadShare, wizardProblems, workspaceTree } from './selectors';

const finding = (severity: Finding['severity'], code = 'x'): Finding => ({ code, severity, title: `${code} title`, evidence: '', fix: 'fix it', file: null, reference: '' }) as Finding;
const ws = (name: string, over: Partial<AzureWorkspace> = {}): AzureWorkspace => ({ id: `/ws/${name}`, name, location: 'westeurope', resourceGroup: 'rg', subscription: 'sub-1', workspaceId: name, publicNetworkAccess: 'Enabled', privateLink: false, ...over });
const form = (over: Partial<WizardForm> = {}): WizardForm => ({ endpointMode: 'new', endpoint: 'my-ep', authMode: 'Key', deployment: 'blue', instanceType: 'Standard_DS3_v2', instanceCount: 1, ...over });
const endpoint = (name: string): AzureEndpoint => ({ name, authMode: 'Key', state: 'Succeeded', scoringUri: null, traffic: { blue: 100 }, deployments: [{ name: 'blue', state: 'Succeeded', model: null, instanceType: null }] });

describe('findingsCleared', () => {
  it('lets warnings through but blocks error findings until the phrase is typed', () => {
    expect(findingsCleared([finding('warning')], '')).toBe(true);
    expect(findingsCleared([finding('error')], '')).toBe(false);
    expect(findingsCleared([finding('error')], 'deploy')).toBe(false);
    expect(findingsCleared([finding('error')], '  Deploy Anyway ')).toBe(true);
  });
  it('a folder without MLmodel cannot be deployed anyway: main refuses it whatever is typed', () => {
    expect(findingsCleared([finding('error', 'not-an-mlflow-model')], 'deploy anyway')).toBe(false);
    expect(findingsCleared([finding('error'), finding('error', 'not-an-mlflow-model')], 'deploy anyway')).toBe(false);
  });
});

describe('workspaceTree', () => {
  it('groups workspaces under their subscription, sorted, and keeps subscriptions without workspaces', () => {
    const tree = workspaceTree(
      [
        { subscriptionId: 'sub-1', displayName: 'Zeta', state: 'Enabled' },
        { subscriptionId: 'sub-2', displayName: 'Alpha', state: 'Enabled' },
      ],
      [ws('b'), ws('a'), ws('c', { subscription: 'sub-3' })],
    );
    expect(tree.map((s) => [s.displayName, s.workspaces.map((w) => w.name)])).toEqual([
      ['Alpha', []],
      ['sub-3', ['c']],
      ['Zeta', ['a', 'b']],
    ]);
  });
});

describe('wizard checks', () => {
  it("applies Azure's naming rule to endpoint and deployment names", () => {
    expect(nameProblem('Endpoint', 'ok-name1')).toBeNull();
    expect(nameProblem('Endpoint', 'ab')).toMatch(/3 to 32/);
    expect(nameProblem('Endpoint', '1abc')).toMatch(/start with a letter/);
    expect(nameProblem('Deployment', 'blue_1')).toMatch(/letters, digits and hyphens/);
    expect(nameProblem('Deployment', 'blue-')).toMatch(/end with a hyphen/);
  });

  it('refuses a private-link workspace, a new endpoint that exists, and bad sizes', () => {
    expect(wizardProblems(form(), [], ws('w'))).toEqual({});
    expect(wizardProblems(form(), [], null).workspace).toMatch(/Choose a workspace/);
    expect(wizardProblems(form(), [], ws('w', { privateLink: true })).workspace).toMatch(/Package tab/);
    expect(wizardProblems(form(), [endpoint('my-ep')], ws('w')).endpoint).toMatch(/exists already/);
    expect(wizardProblems(form({ endpointMode: 'existing' }), [endpoint('my-ep')], ws('w'))).toEqual({});
    expect(wizardProblems(form({ endpointMode: 'existing', endpoint: 'gone' }), [endpoint('my-ep')], ws('w')).endpoint).toBeDefined();
    const bad = wizardProblems(form({ instanceType: 'DS3 v2', instanceCount: 0 }), [], ws('w'));
    expect(Object.keys(bad).sort()).toEqual(['instanceCount', 'instanceType']);
  });
});

describe('operation views', () => {
  const op = (over: Partial<AzureOperation>): AzureOperation => ({ id: 'op', kind: 'deploy', title: '', startedAt: 0, endedAt: null, status: 'running', upload: null, phases: [], logTail: [], result: null, message: null, ...over });

  it('marks earlier phases done, the current one active, and the last one failed when the operation failed', () => {
    const phases = [
      { what: 'endpoint', state: 'Succeeded', elapsedMs: 1000 },
      { what: 'deployment', state: 'Creating', elapsedMs: 5000 },
    ];
    expect(phaseRows(op({ phases })).map((p) => p.tone)).toEqual(['done', 'active']);
    expect(phaseRows(op({ phases, status: 'failed' })).map((p) => p.tone)).toEqual(['done', 'failed']);
    expect(phaseRows(op({ phases: [{ what: 'd', state: 'Failed', elapsedMs: 1 }] }))[0]!.tone).toBe('failed');
  });

  it('reports the upload share', () => {
    expect(uploadShare(op({}))).toBeNull();
    expect(uploadShare(op({ upload: { file: 'MLmodel', uploadedBytes: 50, totalBytes: 200 } }))).toBe(0.25);
  });
});

describe('answerView', () => {
  it('decodes model-error headers and pretty-prints JSON bodies', () => {
    const v = answerView({
      status: 424,
      headers: { 'x-request-id': 'req-1', 'ms-azureml-model-error-reason': 'ValueError%3A%20bad+input', 'ms-azureml-model-error-statuscode': '500' },
      body: null,
      body_text: '{"message":"An error occurred"}',
      explanation: 'The model itself failed.',
      requestId: null,
    });
    expect(v).toMatchObject({ ok: false, status: 424, requestId: 'req-1', explanation: 'The model itself failed.' });
    expect(v.modelErrors).toEqual([
      { name: 'reason', value: 'ValueError: bad input' },
      { name: 'statuscode', value: '500' },
    ]);
    expect(v.text).toBe('{\n  "message": "An error occurred"\n}');
  });

  it('shows a body that is not JSON as sent', () => {
    expect(answerView({ status: 502, headers: {}, body: null, body_text: '<html>bad gateway', explanation: null, requestId: 'r' }).text).toBe('<html>bad gateway');
  });
});

it('modelLabel shortens ARM model ids', () => {
  expect(modelLabel('/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/w/models/sample-model/versions/3')).toBe('sample-model:3');
  expect(modelLabel(null)).toBe('—');
});
