import { ModelReportSchema, type ModelReport } from '@shared/mlflow/model-report';

/**
 * A ModelReport shaped like what the host returns for azureml-examples-heart-classifier (a real fixture), validated
 * against the contract's schema so tests cannot drift from it. Only tests import this file.
 */
export function heartReport(overrides: Partial<ModelReport> = {}): ModelReport {
  const base: ModelReport = {
    schemaVersion: 1,
    path: '/fixtures/mlflow-models/azureml-examples-heart-classifier',
    name: 'azureml-examples-heart-classifier',
    kind: 'mlflow-folder',
    mlmodel: {
      file: 'MLmodel',
      flavors: [
        { name: 'python_function', settings: { env: 'conda.yaml', loader_module: 'mlflow.sklearn', model_path: 'model.pkl', python_version: '3.8.5' } },
        { name: 'sklearn', settings: { pickled_model: 'model.pkl', serialization_format: 'cloudpickle', sklearn_version: '1.1.2' } },
      ],
      loaderModule: 'mlflow.sklearn',
      pythonVersion: '3.8.5',
      mlflowVersion: null,
      modelUuid: '04bd660a1b8b4b1e84b9198c46cfd117',
      runId: '22874b7e-b069-43f0-b90c-1c57793c7854',
      utcTimeCreated: '2022-10-13 00:55:57.543663',
      artifactPath: 'pipeline',
      databricksRuntime: null,
      modelSizeBytes: null,
      metadata: null,
      savedInputExampleInfo: null,
      isSignatureFromTypeHint: false,
      raw: { artifact_path: 'pipeline', flavors: {}, model_uuid: '04bd', run_id: '2287', signature: {}, utc_time_created: 'x', custom_key: 7 },
    },
    signature: {
      inputs: {
        kind: 'columns',
        columns: [
          { name: 'age', type: { type: 'long' }, required: true, display: 'long' },
          { name: 'oldpeak', type: { type: 'double' }, required: true, display: 'double' },
          { name: 'thal', type: { type: 'string' }, required: true, display: 'string' },
        ],
      },
      outputs: { kind: 'columns', columns: [{ name: null, type: { type: 'long' }, required: true, display: 'long' }] },
      params: null,
      raw: { inputs: '[{"name": "age", "type": "long"}]', outputs: '[{"type": "long"}]', params: null },
    },
    inputExamples: [],
    environment: {
      files: [
        { file: 'conda.yaml', kind: 'conda', python: '3.8.5', error: null },
        { file: 'requirements.txt', kind: 'requirements', python: null, error: null },
      ],
      dependencies: [
        { name: 'python', spec: '=3.8.5', raw: 'python=3.8.5', file: 'conda.yaml', line: 4, installer: 'conda', channel: 'conda-forge', source: 'index' },
        { name: 'mlflow', spec: '', raw: 'mlflow', file: 'conda.yaml', line: 7, installer: 'pip', channel: null, source: 'index' },
        { name: 'xgboost', spec: '==1.3.3', raw: 'xgboost==1.3.3', file: 'conda.yaml', line: 10, installer: 'pip', channel: null, source: 'index' },
        { name: 'mlflow', spec: '', raw: 'mlflow', file: 'requirements.txt', line: 1, installer: 'pip', channel: null, source: 'index' },
        { name: 'xgboost', spec: '==1.4.2', raw: 'xgboost==1.4.2', file: 'requirements.txt', line: 13, installer: 'pip', channel: null, source: 'index' },
      ],
      conflicts: [
        {
          name: 'xgboost',
          entries: [
            { file: 'conda.yaml', spec: '==1.3.3' },
            { file: 'requirements.txt', spec: '==1.4.2' },
          ],
          message: 'conda.yaml pins xgboost==1.3.3 but requirements.txt pins xgboost==1.4.2',
        },
      ],
      indexUrls: [],
    },
    onnx: [],
    files: [
      { path: 'MLmodel', kind: 'file', size: 1043, target: null, outside: false },
      { path: 'conda.yaml', kind: 'file', size: 201, target: null, outside: false },
      { path: 'model.pkl', kind: 'file', size: 5102, target: null, outside: false },
      { path: 'requirements.txt', kind: 'file', size: 222, target: null, outside: false },
    ],
    totalBytes: 6568,
    findings: [
      {
        code: 'mlflow-unpinned',
        severity: 'warning',
        title: 'mlflow is not pinned',
        evidence: 'requirements.txt:1 lists "mlflow" without a version',
        fix: 'Pin mlflow==<the version that logged the model>',
        file: 'requirements.txt',
        reference: 'payloads.md §10',
      },
      { code: 'python-version', severity: 'info', title: 'Python 3.8', evidence: '3.8.5', fix: 'Use 3.10', file: null, reference: null },
      { code: 'no-mlflow-version', severity: 'error', title: 'x', evidence: 'x', fix: 'x', file: 'MLmodel', reference: null },
    ],
    problems: [],
  };
  return ModelReportSchema.parse({ ...base, ...overrides });
}
