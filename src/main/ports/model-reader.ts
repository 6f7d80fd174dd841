import type { ModelReport } from '@shared/mlflow/model-report';

/**
 * How every service reads a model folder (or a bare .onnx file): the one port the payload, runner, batch,
 * packaging and Azure services and the `model.*` handlers depend on. `ModelService` implements it; tests
 * and hosts may pass another (a cache, a fake folder) through compose().
 */
export interface ModelReader {
  inspect(path: string, options?: { signal?: AbortSignal }): Promise<ModelReport>;
}
