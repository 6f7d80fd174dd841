import { AppError, ErrorCodes } from '@shared/errors';
import { PAYLOAD_MAX_BODY_CHARS, type CallInput, type ModelRequest } from '@shared/ipc/contract';
import {
  convertRequest,
  resolveMlflowVersion,
  samplePayloads,
  validateRequest,
  type ConvertRequestInput,
  type ConvertResult,
  type SamplePayloads,
  type ValidationResult,
} from '@shared/mlflow/payload';
import type { ModelReader } from '../../ports/model-reader';
import type { PayloadOffThread } from '../../ports/payload-offthread';
import { InspectedModelCache, requestFor, type PayloadModelContext } from './model-context';

/**
 * `payload.*`: what MLflow's scoring server or Azure ML's no-code endpoint does with a request body, for
 * one model folder (issue 3). The engine in src/shared/mlflow/payload is pure; this service feeds it what
 * only the main process can read: the signature, the version pins and the raw example files.
 */


/**
 * Largest body accepted (characters, about the byte size for JSON); the IPC contract has the same cap.
 * The bench body (100 000 rows × 10 columns) is ~20 MB; far above that an in-memory emulation stops
 * being a quick answer.
 */
export const MAX_BODY_CHARS = PAYLOAD_MAX_BODY_CHARS;

export { CONVERT_TARGETS, type ConvertTarget } from '@shared/mlflow/payload';

/** `payload.validate`'s request: the contract's ModelRequest (the body, its Content-Type, the server, an MLflow version to emulate), without the caller's opId. */
export type ValidatePayloadInput = ModelRequest;

/** `payload.convert`'s request: a body, the form to write it in, optionally the model whose signature guides it and the server it was written for. */
export type ConvertPayloadInput = CallInput<'payload', 'convert'>;

export type ConversionResult = ConvertResult;
export type PayloadSamples = SamplePayloads;

export interface PayloadServiceOptions {
  cacheSize?: number;
  /**
   * Where large bodies are validated and converted instead of the calling thread: the app passes the runner's
   * request preparation worker (`runner.createPreparer()`: bodies of 1 Mi characters or PREFLIGHT_OFFTHREAD_MIN_CHARS
   * on). None: everything in-thread (the CLI, whose event loop has nothing else to answer).
   */
  offThread?: PayloadOffThread | null;
}

export class PayloadService {
  /** Recently used models; validation as you type hits the same model over and over. */
  private readonly cache: InspectedModelCache<PayloadModelContext>;
  /**
   * Large bodies are validated and converted on a worker thread (OffThreadPreparer): in the app, this service runs
   * in the main process, where a 16 MB body held every IPC call and the window for a second or more per keystroke.
   */
  private readonly offThread: PayloadOffThread | null;

  constructor(models: ModelReader, options: PayloadServiceOptions = {}) {
    this.cache = new InspectedModelCache((path, signal) => models.inspect(path, { signal }), (_report, context) => context, options.cacheSize);
    this.offThread = options.offThread ?? null;
  }

  /** Ends the off-thread worker, if one started; calls after this run in-thread. */
  async close(): Promise<void> {
    await this.offThread?.close();
  }

  /**
   * The model's payload context, inspected once and reused while the folder, MLmodel, the example files
   * and the environment files are unchanged (checked by stat on every call).
   */
  context(modelPath: string, signal?: AbortSignal): Promise<PayloadModelContext> {
    return this.cache.get(modelPath, signal);
  }

  /** What the chosen server answers to `body`, what the model receives, and every silent coercion. */
  async validate(input: ValidatePayloadInput, options: { signal?: AbortSignal } = {}): Promise<ValidationResult> {
    checkBodySize(input.body);
    const ctx = await this.context(input.modelPath, options.signal);
    const req = requestFor(ctx, input);
    return this.offThread?.wants(req.body) ? this.offThread.validate(req, options.signal) : validateRequest(req);
  }

  /** A ready-to-send body for each server, from the model's examples or else its signature. */
  async samples(input: { modelPath: string; mlflowVersion?: string | null }, options: { signal?: AbortSignal } = {}): Promise<PayloadSamples> {
    // A version that is not one is the caller's error (E_INVALID_INPUT), as validate and convert say it
    if (input.mlflowVersion) resolveMlflowVersion(null, null, input.mlflowVersion);
    const ctx = await this.context(input.modelPath, options.signal);
    return samplePayloads({
      mlflowVersion: input.mlflowVersion ?? null,
      signature: ctx.signature,
      inputExample: ctx.inputExample,
      servingInputExample: ctx.servingInputExample,
      flavors: ctx.flavors,
      mlmodelVersion: ctx.mlmodelVersion,
      requirementsPin: ctx.requirementsPin,
      onnxInputs: ctx.onnxInputs ?? null,
    });
  }

  /**
   * The same request in another form; `{ok:false, error}` (not a throw) when it cannot be converted. The MLflow
   * forms are for the version `mlflowVersion` names, else the model's pin (1.x: bare pandas bodies, no params).
   */
  async convert(input: ConvertPayloadInput, options: { signal?: AbortSignal } = {}): Promise<ConversionResult> {
    checkBodySize(input.body);
    const ctx = input.modelPath ? await this.context(input.modelPath, options.signal) : null;
    const req: ConvertRequestInput = {
      body: input.body,
      contentType: input.contentType,
      to: input.to,
      ...(input.fromServer ? { fromServer: input.fromServer } : {}),
      ...(ctx ? { signature: ctx.signature, mlmodelVersion: ctx.mlmodelVersion, requirementsPin: ctx.requirementsPin } : {}),
      mlflowVersion: input.mlflowVersion ?? null,
    };
    return this.offThread?.wants(req.body) ? this.offThread.convert(req, options.signal) : convertRequest(req);
  }
}

function checkBodySize(body: string): void {
  if (body.length > MAX_BODY_CHARS) {
    throw new AppError(
      ErrorCodes.INVALID_INPUT,
      `The request body is ${(body.length / 1024 / 1024).toFixed(1)} MB; Preflight emulates bodies up to ${MAX_BODY_CHARS / 1024 / 1024} MB. ` +
        'Send a smaller sample of the rows: the servers treat every row the same way.',
    );
  }
}
