import { describe, expect, it } from 'vitest';
import { ModelService } from '../../src/main/services/model/model-service';
import { fixture, sampleModelDir } from '../support/paths';

/** Readiness findings on real third-party model folders: what a user opening them should be told. */
const service = new ModelService();
const codesOf = async (dir: string) => {
  const report = await service.inspect(dir);
  return new Map(report.findings.map((f) => [f.code, f]));
};

describe('readiness findings on real model folders', () => {
  it('the bundled sample has no error-severity finding', async () => {
    const report = await service.inspect(sampleModelDir);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('credit-defaults without a signature is told so, with a fix', async () => {
    const found = await codesOf(fixture('mlflow-models/azureml-examples-credit-defaults-no-signature'));
    const f = found.get('no-signature');
    expect(f?.severity).toBe('warning');
    expect(f?.fix).toMatch(/signature/i);
  });

  it('autolog nyc-taxi: conda.yml is not conda.yaml, and the example overrides signature dtypes', async () => {
    const found = await codesOf(fixture('mlflow-models/azureml-examples-autolog-nyc-taxi'));
    expect(found.get('no-conda-yaml')?.severity).toBe('error');
    const override = found.get('input-example-overrides-signature');
    expect(override?.severity).toBe('error');
    expect(override?.file).toBe('input_example.json');
  });

  it('iris without signature pins a Python no Azure image offers, and its MLmodel names a conda.yaml the folder lost', async () => {
    const found = await codesOf(fixture('mlflow-models/azureml-examples-iris-no-signature'));
    expect(found.get('python-version-unsupported')?.evidence).toContain('3.6');
    expect(found.has('no-signature')).toBe(true);
    // The folder is MLmodel + model.pkl: the missing file is the error, not "conda.yaml lists no mlflow" (it lists nothing:
    // it is not there), nor a missing azureml-ai-monitoring in it.
    const conda = found.get('no-conda-yaml');
    expect(conda?.severity).toBe('error');
    expect(conda?.evidence).toContain('MLmodel names `conda.yaml` (python_function.env), but the folder has no such file');
    expect(conda?.fix).toContain('Copy conda.yaml back from where the model was logged');
    expect(found.has('mlflow-missing')).toBe(false);
    expect(found.has('missing-azureml-ai-monitoring')).toBe(false);
  });

  it('medsam2 (only its MLmodel was kept): no conda.yaml is the environment finding, not its contents', async () => {
    const found = await codesOf(fixture('mlflow-models/azureml-assets-medsam2'));
    expect(found.get('no-conda-yaml')?.severity).toBe('error');
    expect(found.has('mlflow-missing')).toBe(false);
    expect(found.has('missing-azureml-ai-monitoring')).toBe(false);
  });

  it('every finding names a fix and sorts errors first', async () => {
    const report = await service.inspect(fixture('mlflow-models/azureml-examples-autolog-nyc-taxi'));
    const rank = { error: 0, warning: 1, info: 2 } as const;
    const ranks = report.findings.map((f) => rank[f.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    for (const f of report.findings) expect(f.fix.length).toBeGreaterThan(10);
  });

  it('the clip pyfunc folder without its code/ and artifacts/ is an error naming each missing path', async () => {
    const found = await service.inspect(fixture('mlflow-models/azureml-examples-clip-pyfunc'));
    const missing = found.findings.filter((f) => f.code === 'missing-model-artifact').map((f) => f.title);
    expect(missing).toContain('`code` is missing: the model cannot load');
    expect(missing.some((t) => t.startsWith('`artifacts'))).toBe(true);
    expect(found.findings.find((f) => f.title === '`python_model.pkl` is missing: the model cannot load')).toBeUndefined();
  });

  it('sklearn-diabetes: pickled with scikit-learn 1.1.2, and the environment says otherwise', async () => {
    const found = await codesOf(fixture('mlflow-models/azureml-examples-sklearn-diabetes'));
    expect(found.get('sklearn-version-mismatch')?.evidence).toContain('sklearn_version: 1.1.2');
  });

  it('every finding on every fixture cites only public links the app will open', async () => {
    const { readdir } = await import('node:fs/promises');
    const { isAllowedExternalUrl, referenceLinks } = await import('../../src/shared/external-links');
    const dirs = await readdir(fixture('mlflow-models'));
    let checked = 0;
    for (const dir of dirs) {
      const report = await service.inspect(fixture('mlflow-models', dir)).catch(() => null);
      for (const f of report?.findings ?? []) {
        for (const link of referenceLinks(f.reference ?? '')) expect(isAllowedExternalUrl(link), `${dir} ${f.code}: ${link}`).toBe(true);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});
