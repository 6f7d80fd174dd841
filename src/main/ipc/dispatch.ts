import { AppError, ErrorCodes, isAppError, type ErrorData } from '@shared/errors';
import { lookupChannel } from '@shared/ipc/channels';
import { contract, type CallInput, type CallOutput, type Contract, type Namespace } from '@shared/ipc/contract';
import type { Result } from '@shared/ipc/result';
import { wireCodecOf } from '@shared/ipc/wire-codecs';
import type { Logger } from '../ports/logger';

/** What every handler gets besides its input. */
export interface CallContext {
  /** Which connection called (webContents id, socket id, `cli`). */
  senderId: string;
  signal: AbortSignal;
  log: Logger;
}

type Spec = { input: import('zod').ZodType; output: import('zod').ZodType };

/**
 * Handlers for the whole contract; TypeScript flags a missing one. A handler gets the *parsed* input
 * (defaults applied), which is exactly what `dispatch` hands it.
 */
export type Handlers = {
  [N in Namespace]: {
    [M in keyof Contract['methods'][N] & string]: (input: CallInput<N, M>, ctx: CallContext) => Promise<CallOutput<N, M>>;
  };
};

export interface DispatchOptions {
  /** Parse outputs against the contract too (tests, dev): catches drift between services and contract. */
  strictOutputs: boolean;
  log: Logger;
}

/**
 * Transport-agnostic call path: channel lookup → input validation → handler → envelope. Never throws.
 * The sender check happens in each transport adapter before this (it knows what a sender is).
 */
export function createDispatcher(handlers: Handlers, options: DispatchOptions) {
  return async function dispatch(
    channel: string,
    rawInput: unknown,
    ctx: Omit<CallContext, 'log'>,
  ): Promise<Result<unknown>> {
    const entry = lookupChannel(channel);
    if (!entry) return { ok: false, error: { code: ErrorCodes.FORBIDDEN, message: `Unknown channel "${channel}".` } };
    const spec = (contract.methods[entry.ns] as Record<string, Spec>)[entry.method];
    const parsed = spec.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      const where = issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; ');
      return {
        ok: false,
        error: { code: ErrorCodes.INVALID_INPUT, message: `Invalid input for ${entry.ns}.${entry.method} — ${where}`, details: { issues } },
      };
    }
    const handler = (handlers[entry.ns] as Record<string, (i: unknown, c: CallContext) => Promise<unknown>>)[entry.method];
    try {
      const value = await handler(parsed.data, { ...ctx, log: options.log });
      // The contract's value is checked; its wire form (wire-codecs.ts) is what travels.
      const wire = wireCodecOf(channel);
      if (options.strictOutputs) {
        const out = spec.output.safeParse(value);
        if (!out.success) {
          options.log.error(`output of ${channel} does not match the contract`, out.error.issues.slice(0, 5));
          return { ok: false, error: { code: ErrorCodes.INTERNAL, message: `Output of ${entry.ns}.${entry.method} does not match the contract.`, details: { issues: out.error.issues.slice(0, 5) } } };
        }
        return { ok: true, value: wire ? wire.encode(out.data) : out.data };
      }
      return { ok: true, value: wire ? wire.encode(value) : value };
    } catch (err) {
      return { ok: false, error: toErrorData(err, options.log, channel) };
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

/** Known errors keep their code and message; anything else is logged in full here and sanitised for the caller. */
export function toErrorData(err: unknown, log: Logger, where: string): ErrorData {
  if (isAppError(err)) return err.toData();
  log.error(`unexpected error in ${where}`, err);
  return new AppError(ErrorCodes.INTERNAL, 'Preflight hit an unexpected error; details are in the app log.').toData();
}
