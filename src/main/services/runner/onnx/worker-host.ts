/**
 * Parent side of the ONNX worker: a `SupervisedChild` (../../child/supervised-child.ts) running
 * `onnx-worker.js`, with the ONNX engine's words for every way it can fail. A native crash, a timeout or a
 * cancel ends with the process killed and a clear AppError for the call(s) in flight; the next call starts
 * a fresh worker. The parent never waits on a dead worker and never crashes with it.
 */
import { AppError, ErrorCodes } from '@shared/errors';
import { SupervisedChild, type CallEnd } from '../../child/supervised-child';
import { formatMs } from '../../child/child-text';
import { forkNodeWorker } from '../../child/worker-process';
import type { NodeWorkerLauncher } from '../../../ports/worker-process';
import { RunnerErrorCodes } from './runner-errors';
import type { FromWorker, RunRequest } from './worker-protocol';
import type { WireTensor } from './tensor-data';

export interface WorkerCall {
  request: Omit<RunRequest, 'type' | 'id'>;
  /** How errors name the model (path relative to the model folder, or the file name). */
  modelName: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Extra sentence for a crash message (e.g. "its output 'y' is int4, which onnxruntime-node cannot return"). */
  crashHint?: string;
}

export type WorkerReply =
  | { ok: true; outputs: Record<string, WireTensor> }
  | { ok: false; stage: 'load' | 'run' | 'changed'; message: string };

export interface WorkerHostOptions {
  /** The bundled worker entry (`onnx-worker.js`). */
  workerPath: string;
  /** Receives the worker's stderr lines (onnxruntime warnings), e.g. to the app log. */
  onStderr?: (text: string) => void;
  /** How the host starts Node workers (default `child_process.fork`; Electron: utilityProcess). */
  launch?: NodeWorkerLauncher;
}

type Context = Pick<WorkerCall, 'modelName' | 'crashHint'>;

export class OnnxWorkerHost {
  private readonly child: SupervisedChild<Omit<RunRequest, 'id'>, FromWorker, Context>;

  constructor(options: WorkerHostOptions) {
    const launch = options.launch ?? forkNodeWorker;
    this.child = new SupervisedChild({ start: () => launch(options.workerPath, { name: 'onnx-worker' }), onStderr: options.onStderr, failure: onnxFailure });
  }

  /** How many workers were started so far (tests prove restarts with it). */
  get starts(): number {
    return this.child.starts;
  }

  async run(call: WorkerCall): Promise<WorkerReply> {
    const m = await this.child.call(
      { type: 'run', ...call.request },
      { timeoutMs: call.timeoutMs, signal: call.signal, context: { modelName: call.modelName, crashHint: call.crashHint } },
    );
    if (m.type === 'result') return { ok: true, outputs: m.outputs };
    if (m.type === 'error') return { ok: false, stage: m.stage, message: m.message };
    throw new AppError(ErrorCodes.INTERNAL, `${call.modelName}: the ONNX worker answered with an unexpected '${m.type}' message.`);
  }

  /** Stops the worker (app shutdown). Calls in flight fail as cancelled. */
  dispose(): void {
    void this.child.dispose();
  }
}

function onnxFailure(end: CallEnd, ctx: Context): AppError {
  const model = ctx.modelName;
  switch (end.kind) {
    case 'cancel':
      return new AppError(ErrorCodes.CANCELLED, `${model}: the prediction was cancelled.`, { details: { model } });
    case 'timeout':
      return new AppError(RunnerErrorCodes.TIMEOUT, `${model}: the prediction did not finish within ${formatMs(end.timeoutMs)}, so Preflight stopped the ONNX runtime (it restarts for the next call). Try a smaller input, or raise the timeout.`, { details: { model, timeoutMs: end.timeoutMs } });
    case 'collateral': {
      const other = (end.otherContext as Context).modelName;
      return new AppError(RunnerErrorCodes.RUNTIME_CRASHED, `${model}: the ONNX runtime was restarted because another call to ${other} ${end.reason === 'timeout' ? 'timed out' : 'was cancelled'}. Run it again.`, { details: { model } });
    }
    case 'crash':
      return new AppError(
        RunnerErrorCodes.RUNTIME_CRASHED,
        `${model}: the ONNX runtime crashed while running this model (the runtime process ${end.how}).` +
          (ctx.crashHint ? ` ${ctx.crashHint}` : '') +
          ` Preflight restarts the runtime for the next call; other models are not affected.` +
          (end.stderrTail ? ` Last runtime output: ${end.stderrTail}` : ''),
        { details: { model, exitCode: end.exitCode, signal: end.signal, stderr: end.stderrTail || undefined } },
      );
    case 'unavailable':
      return new AppError(ErrorCodes.ENVIRONMENT, `${model}: the ONNX runtime process could not be started or reached (${(end.error as Error)?.message ?? String(end.error)}). Check that the app's files are complete (onnx-worker.js, onnxruntime-node).`, { cause: end.error });
  }
}
