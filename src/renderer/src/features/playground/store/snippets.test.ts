import { describe, expect, it } from 'vitest';
import { azureEndpointName, snippetFor, snippetKindsFor } from './snippets';

const req = {
  url: 'https://churn-ep.westeurope.inference.ml.azure.com/score',
  headers: { 'content-type': 'application/json', authorization: '<hidden: 40 characters>', 'azureml-model-deployment': 'blue' },
  body: `{"input_data": {"columns": ["it's"], "data": [[1]]}}`,
};

describe('copy as', () => {
  it('curl: single quotes escaped for the shell (a real shell runs it in test/integration/copy-as-shell.test.ts), the key is an environment variable', () => {
    const s = snippetFor('curl', req);
    expect(s.text).toContain('-H "authorization: $PREFLIGHT_AUTHORIZATION"');
    expect(s.text).not.toContain('hidden');
    expect(s.note).toContain('PREFLIGHT_AUTHORIZATION');
    expect(s.text).toContain(`--data-binary '{"input_data": {"columns": ["it'\\''s"]`);
  });

  it('Python: the body as a string literal, secrets from os.environ', () => {
    const s = snippetFor('python', req);
    expect(s.text).toContain(`body = ${JSON.stringify(req.body)}`);
    expect(s.text).toContain('"authorization": os.environ["PREFLIGHT_AUTHORIZATION"]');
    expect(s.text).toContain('"azureml-model-deployment": "blue"');
  });

  it('az: the endpoint name from the URL and the deployment header', () => {
    const s = snippetFor('az', req);
    expect(s.text).toContain("az ml online-endpoint invoke --name churn-ep --request-file request.json --deployment-name 'blue'");
    expect(azureEndpointName('http://127.0.0.1:5001/score')).toBeNull();
    expect(snippetFor('az', { ...req, url: 'http://127.0.0.1:5001/score' }).note).toContain('Replace <endpoint-name>');
  });

  it('az is offered for Azure targets and Azure-profile URLs only: an MLflow URL gets curl and Python', () => {
    expect(snippetKindsFor('azureml')).toEqual(['curl', 'python', 'az']);
    expect(snippetKindsFor('mlflow')).toEqual(['curl', 'python']);
  });
});
