/**
 * The input-example readiness rule says what the pinned MLflow does with an int64 example column on a double
 * signature column: refused whatever the values before 2.16.1, only 0/1 let through from 2.16.1
 * (`longZeroOneToFloat`, docs/fidelity.md). Its verdict must match the payload engine's for the same model.
 */
import { describe, expect, it } from 'vitest';
import { validateRequest } from '@shared/mlflow/payload/validate';
import { assessReadiness } from '../assess';
import { cleanReport, example, mlmodel, pip } from '../report-builder';
import { mlflowPin } from '@shared/mlflow/payload/version';

const TEXT = '{"columns": ["age", "bmi", "sex", "group"], "data": [[63, 1, 1, "a"]]}';
const report = (version: string) =>
  cleanReport({
    mlmodel: mlmodel({ mlflowVersion: version, savedInputExampleInfo: { artifact_path: 'input_example.json', type: 'dataframe', pandas_orient: 'split' } }),
    inputExamples: [example('input_example.json', null, TEXT)],
    environment: { files: [], dependencies: [pip(`mlflow==${version}`), pip('scikit-learn==1.5.2')], conflicts: [], indexUrls: [] },
  });
const evidence = (version: string): string => {
  const f = assessReadiness(report(version)).find((x) => x.code === 'input-example-overrides-signature');
  expect(f?.severity).toBe('error');
  return f!.evidence;
};
/** What the engine answers for the same model (Azure profile: the example sets the dtypes). */
const azure = (version: string, age: string, bmi: string) => {
  const r = report(version);
  return validateRequest({
    body: `{"input_data": {"columns": ["age", "bmi", "sex", "group"], "data": [[${age}, ${bmi}, 1, "a"]]}}`,
    contentType: 'application/json', server: 'azureml', signature: r.signature,
    mlflowVersion: null, mlmodelVersion: r.mlmodel!.mlflowVersion, requirementsPin: mlflowPin(r.environment.dependencies),
    inputExample: { form: 'dataframe-split', text: TEXT },
  });
};

describe('input-example-overrides-signature follows the served MLflow version', () => {
  it('2.16.0: int64 is refused for a double column whatever the values; the engine answers 500 even for 1 and 0', () => {
    expect(evidence('2.16.0')).toContain('`bmi`: signature double (float64), example gives int64: requests are cast to int64 (1.5 → 1) and MLflow 2.16.0 rejects int64 for a double column');
    const r = azure('2.16.0', '1', '0');
    expect(r.status).toBe(500);
    expect(r.server_log).toContain('Incompatible input types for column age. Can not safely convert int64 to float64.');
  });
  it('2.16.1: only columns whose values are then all 0/1 pass, which the engine confirms', () => {
    expect(evidence('2.16.1')).toContain('`bmi`: signature double (float64), example gives int64: requests are cast to int64 (1.5 → 1, 0.7 → 0) and MLflow 2.16.1 rejects the column unless every value is then 0 or 1');
    const ok = azure('2.16.1', '1', '0.7');
    expect(ok.status, ok.server_log ?? '').toBe(200);
    const bad = azure('2.16.1', '1', '2.5');
    expect(bad.status).toBe(500);
    expect(bad.server_log).toContain('Incompatible input types for column bmi. Can not safely convert int64 to float64.');
  });
});
