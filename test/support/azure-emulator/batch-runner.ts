import type { BatchService } from '../../../src/main/services/batch/batch-service';
import type { BatchRunner } from './batch';

/** Batch jobs through Preflight's own batch service (`preflight batch`): the emulator's batch deployments answer as it does. */
export const serviceBatchRunner =
  (batch: BatchService): BatchRunner =>
  async ({ modelDir, inputDir, outDir, outputFileName, outputAction }) => {
    try {
      const s = await batch.run({ modelPath: modelDir, input: inputDir, outDir, outputFileName, outputAction, overwrite: true });
      return { ok: s.status === 'succeeded', error: s.error?.message ?? null, rows: s.rows };
    } catch (err) {
      return { ok: false, error: (err as Error).message, rows: 0 };
    }
  };
