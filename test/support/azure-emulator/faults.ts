/**
 * Faults on demand. A test (or `npm run azure-emulator` through its control URL) queues a fault; the next
 * matching request gets it, `times` times. Kinds:
 *   status       ARM or scoring answers `status` (429/500/503/quota…) with an ARM error body and optional Retry-After
 *   lroFailed    the next long-running operation of `operationId` ends Failed with `code`/`message`
 *   stuck        the next long-running operation of `operationId` never leaves its non-terminal state
 *   modelError   scoring answers 424 with ms-azureml-model-error-statuscode/-reason
 *   slowScore    scoring holds the next answer `delayMs` (a slow or hung model); a client that gives up first is
 *                recorded as `scoreAbandoned` in the emulator's calls
 *   dropUpload   the blob proxy cuts the connection in the middle of the next block upload
 *   jobFailed    the next batch job ends Failed with `message` (stuck with operationId "BatchJob": never ends)
 *   signInCancel the next browser sign-in: the user presses Cancel on Microsoft's sign-in page, so the redirect
 *                carries `error=access_denied&error_subcode=cancel` and no code (as Entra sends it)
 */
export type Fault =
  | { kind: 'status'; status: number; code?: string; message?: string; retryAfter?: number; operationId?: string; target?: 'arm' | 'score' | 'batchInvoke' }
  | { kind: 'lroFailed'; operationId: string; code: string; message: string }
  | { kind: 'stuck'; operationId: string }
  | { kind: 'modelError'; modelStatus: number; reason: string }
  | { kind: 'slowScore'; delayMs: number }
  | { kind: 'dropUpload' }
  | { kind: 'jobFailed'; message: string }
  | { kind: 'signInCancel' };

interface Queued {
  fault: Fault;
  left: number;
}

export class FaultQueue {
  private readonly queue: Queued[] = [];

  add(fault: Fault, times = 1): void {
    this.queue.push({ fault, left: times });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Takes the first queued fault the predicate accepts (counting one use). */
  take<K extends Fault['kind']>(kind: K, accept: (f: Extract<Fault, { kind: K }>) => boolean = () => true): Extract<Fault, { kind: K }> | null {
    const i = this.queue.findIndex((q) => q.fault.kind === kind && accept(q.fault as Extract<Fault, { kind: K }>));
    if (i < 0) return null;
    const q = this.queue[i]!;
    if (--q.left <= 0) this.queue.splice(i, 1);
    return q.fault as Extract<Fault, { kind: K }>;
  }
}
