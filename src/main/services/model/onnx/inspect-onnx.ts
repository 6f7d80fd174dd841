import { AppError } from '../../../../shared/errors';
import type { OnnxSummary } from '../../../../shared/mlflow/model-report';

/** PLACEHOLDER — being written by the ONNX helper. Streams an ONNX file and summarises it without reading weights. */
export async function inspectOnnx(absPath: string, relName: string): Promise<OnnxSummary> {
  throw new AppError('E_INTERNAL', `ONNX inspection not implemented yet (${relName} at ${absPath})`);
}
