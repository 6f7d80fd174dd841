/**
 * Errors that cross process boundaries as data. Codes are stable: the renderer, the CLI exit codes and
 * the tests key on them, so never rename one — add a new code instead.
 */
export const ErrorCodes = {
  /** Input to an IPC call failed schema validation. */
  INVALID_INPUT: 'E_INVALID_INPUT',
  /** The IPC sender is not the app's own main frame. */
  FORBIDDEN: 'E_FORBIDDEN',
  /** Anything unexpected; the message is sanitised and the stack stays in main. */
  INTERNAL: 'E_INTERNAL',
  /** A file or folder the user named does not exist. */
  NOT_FOUND: 'E_NOT_FOUND',
  /** A path exists but is not what was expected (file vs folder, empty folder). */
  NOT_A_MODEL: 'E_NOT_A_MODEL',
  /** A file could not be read (permissions, I/O). */
  UNREADABLE: 'E_UNREADABLE',
  /** A file was read but its content is invalid (YAML, JSON, protobuf). */
  INVALID_FILE: 'E_INVALID_FILE',
  /** A path escapes the model folder (symlink or `..`). */
  OUTSIDE_FOLDER: 'E_OUTSIDE_FOLDER',
  /** The operation was cancelled by the user. */
  CANCELLED: 'E_CANCELLED',
  /** Something the machine lacks (Python, a locale, a binary). */
  ENVIRONMENT: 'E_ENVIRONMENT',
  /** The payload is not valid for the chosen server / signature. */
  INVALID_PAYLOAD: 'E_INVALID_PAYLOAD',
  /** A model folder (or a chain of -r/-c environment files) has more entries than Preflight reads. */
  TOO_MANY_FILES: 'E_TOO_MANY_FILES',
  /** An output file exists and was not written by Preflight: the caller must confirm (CLI --overwrite) before it is replaced. */
  OUTPUT_EXISTS: 'E_OUTPUT_EXISTS',
  /** A model folder nests deeper than Preflight walks. */
  TOO_DEEP: 'E_TOO_DEEP',
  /** Informational: a JSON file holds NaN/Infinity (Python writes them; JSON has none), shown as null. */
  NON_FINITE_JSON: 'I_NON_FINITE_JSON',
  /** The runtime could not load the model (unsupported type, unknown op, a missing Python module, bad file). */
  MODEL_LOAD: 'E_MODEL_LOAD',
  /**
   * The model raised while predicting — what Python would raise inside `pyfunc.predict`. `details.python`
   * says which exception, so the scoring servers can pick their status and body.
   */
  MODEL_RUN: 'E_MODEL_RUN',
  /** The model's runtime process died (native abort, out of memory); the next call gets a fresh one. */
  RUNTIME_CRASHED: 'E_RUNTIME_CRASHED',
  /** A call took longer than its timeout; the runtime process was killed and is restarted. */
  TIMEOUT: 'E_TIMEOUT',
  /** The model is valid but needs something the local runtime cannot do (e.g. non-tensor ONNX inputs). */
  UNSUPPORTED_MODEL: 'E_UNSUPPORTED_MODEL',
  /**
   * Running this model would run code from a folder the user has not trusted yet (a Python model: its
   * pickle is a program). `details.folder` is the folder to trust (`trust.grant`); nothing ran.
   */
  UNTRUSTED: 'E_UNTRUSTED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Structured-clone-safe error data: what crosses IPC, WebSocket and CLI `--json`. */
export interface ErrorData {
  code: ErrorCode | string;
  message: string;
  details?: unknown;
}

/**
 * The one error class services throw on purpose. `message` is for people: it quotes the bad value, says
 * where it is (file, JSON path, column) and how to fix it.
 */
export class AppError extends Error {
  readonly code: ErrorCode | string;
  readonly details?: unknown;

  constructor(code: ErrorCode | string, message: string, options?: { details?: unknown; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details;
  }

  toData(): ErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromData(data: ErrorData): AppError {
    return new AppError(data.code, data.message, { details: data.details });
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
