import type { ValidationResultData } from '@shared/ipc/contract';

/** An accepted Azure validation of the sample model, for tests to vary. */
export const acceptedValidation: ValidationResultData = {
  server: 'azureml',
  mlflow_version: { version: '2.16.2', source: 'requirements', behaviour: '2.12+', note: 'Emulating MLflow 2.16.2, pinned …' },
  ok: true,
  status: 200,
  body: null,
  server_log: null,
  model_receives: null,
  params_received: null,
  warnings: [],
};
