import { describe, expect, it } from 'vitest';
import { targetsOf } from './playground-store';
import { urlTargetMismatch, urlTargetProblem } from './url-target-hint';

describe('URL target hints', () => {
  it('a URL typed without its scheme is refused in the row\'s words, with the URL to write instead', () => {
    expect(urlTargetProblem('127.0.0.1:5858/invocations')).toBe('URL target "127.0.0.1:5858/invocations" has no http:// or https://: write it as http://127.0.0.1:5858/invocations.');
    // `localhost:5000/…` parses as a URL whose scheme is "localhost:"; it is still a URL without its scheme
    expect(urlTargetProblem('localhost:5000/invocations')).toBe('URL target "localhost:5000/invocations" has no http:// or https://: write it as http://localhost:5000/invocations.');
    expect(urlTargetProblem('ftp://h/score')).toBe('URL target "ftp://h/score" is not an http or https URL: only those can be compared.');
    expect(urlTargetProblem('http://127.0.0.1:5858/invocations')).toBeNull();
    expect(urlTargetProblem('  ')).toBeNull();
    // a send says it the same way, not in the CLI's `mlflow:http://host:port/path` syntax
    const t = targetsOf({ local: { azureml: true, mlflow: false }, urls: [{ id: 'u', server: 'mlflow', url: '127.0.0.1:5858/invocations' }] });
    expect(t).toEqual({ ok: false, message: 'URL target "127.0.0.1:5858/invocations" has no http:// or https://: write it as http://127.0.0.1:5858/invocations. Nothing was sent.' });
  });

  it("a path that is the other server's scoring route is pointed out, the URL otherwise accepted", () => {
    expect(urlTargetMismatch('azureml', 'http://127.0.0.1:5858/invocations')).toMatch(/^\/invocations is MLflow's scoring route, but this target is set to azureml .*choose mlflow/);
    expect(urlTargetMismatch('mlflow', 'https://ep.westeurope.inference.ml.azure.com/score')).toMatch(/^\/score is Azure ML's scoring route, but this target is set to mlflow .*choose azureml/);
    expect(urlTargetMismatch('mlflow', 'http://127.0.0.1:5858/invocations/')).toBeNull();
    expect(urlTargetMismatch('azureml', 'https://ep.westeurope.inference.ml.azure.com/score')).toBeNull();
    expect(urlTargetMismatch('azureml', 'http://proxy/any')).toBeNull();
    expect(targetsOf({ local: { azureml: false, mlflow: false }, urls: [{ id: 'u', server: 'azureml', url: 'http://127.0.0.1:5858/invocations' }] }).ok).toBe(true);
  });
});
