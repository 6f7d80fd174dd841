import type { ConvertRequestInput, ConvertResult } from '@shared/mlflow/payload/convert';
import type { ValidateRequestInput, ValidationResult } from '@shared/mlflow/payload/validate';

/**
 * The payload engine off the main thread, for `PayloadService` (large bodies: `validate`/`convert` of 15 MB cost a
 * second or more). The runner's request preparation worker implements it (`RunnerService.createPreparer()`,
 * runner/prepare/offthread-preparer.ts); a port, because the runner already depends on the payload service.
 */
export interface PayloadOffThread {
  /** Whether this body goes to the thread (large enough, thread available). */
  wants(body: string): boolean;
  validate(req: ValidateRequestInput, signal?: AbortSignal): Promise<ValidationResult>;
  convert(req: ConvertRequestInput, signal?: AbortSignal): Promise<ConvertResult>;
  close(): Promise<void>;
}
