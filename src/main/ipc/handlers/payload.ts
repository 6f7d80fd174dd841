import type { PayloadService } from '../../services/payload/payload-service';
import type { Handlers } from '../dispatch';

/** What the handlers need from the payload service (`services/payload/payload-service.ts`). */
export type PayloadEmulator = Pick<PayloadService, 'validate' | 'samples' | 'convert'>;

/**
 * `payload.*`: thin adapters over the payload service. A rejected request is an *answer* (ok:false with
 * the server's status and body), not an error; only a missing model or a bad call throws.
 */
export function payloadHandlers(deps: { payload: PayloadEmulator }): Handlers['payload'] {
  const { payload } = deps;
  return {
    validate: async (input, ctx) => payload.validate(input, { signal: ctx.signal }),
    samples: async (input, ctx) => payload.samples(input, { signal: ctx.signal }),
    convert: async (input, ctx) => payload.convert(input, { signal: ctx.signal }),
  };
}
