import { AppError, ErrorCodes } from '@shared/errors';

interface Caller {
  senderId: string;
  signal: AbortSignal;
}

/**
 * Long calls a window can cancel by the opId it chose (`runner.cancel`, `compare.cancel`). Keyed by sender too:
 * one window cannot cancel another's run by guessing its opId. A page that goes away cancels its runs through
 * the caller's signal.
 *
 * An opId is one run: starting a second run under an opId this sender still has in progress is refused with
 * E_INVALID_INPUT (otherwise `cancel` could not tell which of the two it stops). Once a run settles, its opId
 * may be used again.
 */
export class CancellableRuns {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly what: string) {}

  private keyOf(senderId: string, opId: string): string {
    return `${senderId}\u0000${opId}`;
  }

  /** Registers a run; `end()` must be called when it settles. */
  start(caller: Caller, opId: string | undefined): { signal: AbortSignal; end(): void } {
    const controller = new AbortController();
    const key = opId ? this.keyOf(caller.senderId, opId) : null;
    if (key) {
      if (this.running.has(key)) throw new AppError(ErrorCodes.INVALID_INPUT, `A ${this.what} with opId ${opId} is already in progress; use a new opId per run.`);
      this.running.set(key, controller);
    }
    const onAbort = (): void => controller.abort();
    caller.signal.addEventListener('abort', onAbort, { once: true });
    return {
      signal: controller.signal,
      end: () => {
        caller.signal.removeEventListener('abort', onAbort);
        if (key && this.running.get(key) === controller) this.running.delete(key);
      },
    };
  }

  /** Runs `work` with a signal that `cancel` (by opId) or the caller going away aborts; the run ends when `work` settles. */
  async run<T>(caller: Caller, opId: string | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const run = this.start(caller, opId);
    try {
      return await work(run.signal);
    } finally {
      run.end();
    }
  }

  /** false when no such run of this sender is in progress (it had finished). */
  cancel(caller: Pick<Caller, 'senderId'>, opId: string): boolean {
    const controller = this.running.get(this.keyOf(caller.senderId, opId));
    controller?.abort();
    return controller !== undefined;
  }
}
