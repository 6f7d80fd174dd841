import type { ErrorData } from '../errors';

/** Every call answers with an envelope: errors cross as data because `invoke` keeps only `message` (electron#24427). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (error: ErrorData): Result<never> => ({ ok: false, error });
