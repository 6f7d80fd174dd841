import type { ServerKind } from '@shared/mlflow/payload/validate';

/** The two servers Preflight emulates, as every renderer feature names them. */
export type Server = ServerKind;

export const SERVER_PROFILES: readonly { id: Server; label: string; detail: string; route: string }[] = [
  { id: 'azureml', label: 'Azure ML', detail: 'managed online endpoint, no-code MLflow deployment (POST /score, key auth)', route: '/score' },
  { id: 'mlflow', label: 'MLflow', detail: 'mlflow models serve (POST /invocations, no auth)', route: '/invocations' },
];
