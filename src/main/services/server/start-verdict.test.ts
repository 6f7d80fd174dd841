/**
 * The local server's "the real server would not start" verdict: its words are the readiness check's, and it is set
 * exactly when the payload engine answers a well-formed request with no answer (status 0, served as 500 E_NOT_STARTED).
 */
import { describe, expect, it } from 'vitest';
import type { ModelReport } from '@shared/mlflow/model-report';
import type { ServerKind } from '@shared/mlflow/output/responses';
import { validateRequest } from '@shared/mlflow/payload/validate';
import { mlflowPin, resolveMlflowVersion } from '@shared/mlflow/payload/version';
import { assessReadiness } from '../model/readiness/assess';
import { cleanReport, col, columnsSignature, pip } from '../model/readiness/report-builder';
import { requestFor, type PayloadModelContext } from '../payload/model-context';
import { startVerdict } from './start-verdict';

const REQUIRED_X = { ...columnsSignature([col('x', 'double')], null), raw: { inputs: '[{"type": "double", "name": "x", "required": true}]', outputs: null, params: null } };
const deps = (mlflow: string) => ({ files: [], dependencies: [pip(`mlflow==${mlflow}`), pip('scikit-learn==1.5.2'), pip('azureml-ai-monitoring')], conflicts: [], indexUrls: [] });

function model(over: Parameters<typeof cleanReport>[0]): { report: ModelReport; context: PayloadModelContext } {
  const base = cleanReport(over);
  const report = { ...base, findings: assessReadiness(base) };
  const context: PayloadModelContext = {
    path: report.path,
    signature: report.signature,
    mlmodelVersion: report.mlmodel?.mlflowVersion ?? null,
    requirementsPin: mlflowPin(report.environment.dependencies),
    isSignatureFromTypeHint: false,
    inputExample: null,
    flavors: report.mlmodel?.flavors.map((f) => f.name) ?? [],
    servingInputExample: null,
  };
  return { report, context };
}

function verdict(m: ReturnType<typeof model>, server: ServerKind, override: string | null) {
  return startVerdict(m.report, m.context, server, resolveMlflowVersion(m.context.mlmodelVersion, m.context.requirementsPin, override));
}

/** What the engine answers a well-formed request of that server for the model: 0 when no request gets an answer. */
function engineStatus(m: ReturnType<typeof model>, server: ServerKind, override: string | null): number {
  const body = server === 'azureml' ? '{"input_data": {"columns": ["x"], "data": [[1.0]]}}' : '{"dataframe_split": {"columns": ["x"], "data": [[1.0]]}}';
  return validateRequest(requestFor(m.context, { body, contentType: 'application/json', server, mlflowVersion: override })).status;
}

describe('startVerdict', () => {
  it('a version older than the signature: plain words, the log line, and the pin that starts', () => {
    const m = model({ signature: REQUIRED_X, environment: deps('2.16.2') });
    const v = verdict(m, 'azureml', '2.7.1');
    expect(v).toEqual({
      reason: "The signature's column `x` carries a `\"required\"` key, which MLflow writes from 2.10.0 on; MLflow 2.7.1 cannot read it, so Azure's scoring script fails at start-up (`Model.load`).",
      log: "TypeError: ColSpec.__init__() got an unexpected keyword argument 'required'",
      pinnedStarts: '2.16.2',
      fix: null,
    });
    expect(verdict(m, 'mlflow', '2.7.1')?.reason).toMatch(/cannot read it, so mlflow models serve fails while loading the model\.$/);
    expect(verdict(m, 'azureml', null)).toBeNull();
    expect(verdict(m, 'mlflow', '2.10.2')).toBeNull();
  });

  it("the pin fails too: the readiness check's fix, no version to go back to", () => {
    const m = model({ signature: REQUIRED_X, environment: deps('2.8.1') });
    const fix = m.report.findings.find((f) => f.code === 'signature-too-new-for-pinned-mlflow')!.fix;
    expect(verdict(m, 'mlflow', null)).toMatchObject({ pinnedStarts: null, fix });
    expect(fix).toMatch(/^Pin the MLflow that wrote the model/);
    // Another version that cannot read it either: the same advice
    expect(verdict(m, 'azureml', '2.7.1')).toMatchObject({ pinnedStarts: null, fix });
  });

  it("Azure's scoring script failing at import (any version): the finding's title and fix; mlflow models serve starts", () => {
    const m = model({ signature: columnsSignature([col('x', 'double')], [col('scores', { type: 'map', values: { type: 'double' } })]) });
    const finding = m.report.findings.find((f) => f.code === 'signature-output-type-unsupported-on-azure')!;
    expect(verdict(m, 'azureml', null)).toEqual({ reason: `${finding.title}.`, log: expect.stringContaining('Failed to get pandas types') as unknown, pinnedStarts: null, fix: finding.fix });
    expect(verdict(m, 'mlflow', null)).toBeNull();
  });

  it('agrees with the engine: set exactly when a well-formed request gets no answer', () => {
    const models = [
      model({ signature: REQUIRED_X, environment: deps('2.16.2') }),
      model({ signature: REQUIRED_X, environment: deps('2.8.1') }),
      model({ signature: columnsSignature([col('x', 'double')], [col('scores', { type: 'map', values: { type: 'double' } })]) }),
      model({ signature: columnsSignature([col('x', { type: 'array', items: { type: 'string' } })]) }),
      model({ signature: { ...columnsSignature([col('x', 'double')], null), raw: { inputs: '[{"type": "double", "name": "x"}]', outputs: null, params: null } } }),
      model({ signature: null }),
    ];
    let notStarting = 0;
    for (const m of models)
      for (const server of ['azureml', 'mlflow'] as const)
        for (const override of [null, '1.30.1', '2.3.1', '2.7.1', '2.10.2', '2.16.2', '3.6.1']) {
          const v = verdict(m, server, override);
          if (v !== null) notStarting++;
          expect(v !== null, `${server} ${override ?? 'pin'} ${m.report.environment.dependencies[0]!.raw}`).toBe(engineStatus(m, server, override) === 0);
        }
    expect(notStarting).toBeGreaterThan(10);
  });
});
