import { ErrorCodes, type ErrorData } from '@shared/errors';

/**
 * Whatever a rejected call threw, as the data the UI shows. AppErrors already carry a code; anything else is a bug
 * in the renderer or a transport failure, which still deserves a readable panel rather than a blank screen.
 */
export function toErrorData(error: unknown): ErrorData {
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    const { code, message, details } = error as { code: unknown; message: unknown; details?: unknown };
    if (typeof code === 'string' && typeof message === 'string') {
      return details === undefined ? { code, message } : { code, message, details };
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: ErrorCodes.INTERNAL, message: message || 'Unexpected error (no message).' };
}
