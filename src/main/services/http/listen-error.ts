import { AppError, ErrorCodes } from '../../../shared/errors';

/**
 * The error a scoring server gives when its port cannot be bound, whichever process tried (the app for
 * Python models, the ONNX serving process for ONNX models). Null for codes without a known remedy.
 */
export function listenError(code: string | undefined, port: number): AppError | null {
  if (code === 'EADDRINUSE') return new AppError(ErrorCodes.ENVIRONMENT, `Port ${port} on 127.0.0.1 is already in use. Pick another with --port, or 0 for any free port.`);
  if (code === 'EACCES') return new AppError(ErrorCodes.ENVIRONMENT, `Port ${port} needs privileges this user does not have. Use a port above 1024.`);
  return null;
}
