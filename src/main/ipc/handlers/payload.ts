import type { PayloadService } from '../../services/payload/payload-service';
import type { Handlers } from '../dispatch';
import { CancellableRuns } from './cancellable-runs';

/** What the handlers need from the payload service (`services/payload/payload-service.ts`). */
export type PayloadEmulator = Pick<PayloadService, 'validate' | 'samples' | 'convert'>;

/**
 * `payload.*`: thin adapters over the payload service. A rejected request is an *answer* (ok:false with
 * the server's status and body), not an error; only a missing model or a bad call throws. A validation can be
 * cancelled by the window that started it (`payload.cancel` with its opId): the playground drops a large body's
 * validation still running when the text changes, instead of queueing one per edit.
 */
export function payloadHandlers(deps: { payload: PayloadEmulator }): Handlers['payload'] {
  const { payload } = deps;
  const validations = new CancellableRuns('validation');
  return {
    validate: async (input, ctx) => validations.run(ctx, input.opId, (signal) => payload.validate(input, { signal })),
    cancel: async ({ opId }, ctx) => ({ cancelled: validations.cancel(ctx, opId) }),
    samples: async (input, ctx) => payload.samples(input, { signal: ctx.signal }),
    convert: async (input, ctx) => payload.convert(input, { signal: ctx.signal }),
  };
}
