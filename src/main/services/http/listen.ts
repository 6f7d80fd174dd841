/**
 * Binding a scoring server's port, the same in both processes that do it (the app for Python models, the
 * ONNX serving process for ONNX models): one way to listen and one error when the port cannot be bound.
 */
import type { AddressInfo, Server } from 'node:net';
import { AppError, ErrorCodes } from '@shared/errors';

/** Listens on host:port (0: any free port); resolves with the bound port, rejects with Node's error (EADDRINUSE…). */
export function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** The error for a port that cannot be bound (`code`: Node's); null for codes without a known remedy. */
export function listenError(code: string | undefined, port: number): AppError | null {
  if (code === 'EADDRINUSE') return new AppError(ErrorCodes.ENVIRONMENT, `Port ${port} on 127.0.0.1 is already in use. Pick another with --port, or 0 for any free port.`);
  if (code === 'EACCES') return new AppError(ErrorCodes.ENVIRONMENT, `Port ${port} needs privileges this user does not have. Use a port above 1024.`);
  return null;
}
