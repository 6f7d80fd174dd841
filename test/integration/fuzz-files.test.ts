/**
 * Fuzz suite for the file parsers (issue 12): fast-check feeds each parser mutations of a valid file
 * (truncations, bit flips, overwrites, zeroed/duplicated/cut ranges) and random bytes. Each parser must
 * give a result or its one documented error — never another exception, never a hang. `npm test` runs
 * 2 000 inputs per parser (a fixed seed, about half a minute in all); `npm run fuzz` runs many more with a
 * random seed (PREFLIGHT_FUZZ_RUNS, PREFLIGHT_FUZZ_SEED) and prints the seed to replay a failure.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, isAppError } from '../../src/shared/errors';
import { parseMLmodelText } from '../../src/shared/mlflow/mlmodel';
import type { Schema } from '../../src/shared/mlflow/model-report';
import { CsvChunkError, csvChunkFrame } from '../../src/main/services/batch/csv-frames';
import { openCsvRecords } from '../../src/main/services/batch/csv-records';
import { FileReader } from '../../src/main/services/batch/file-reader/file-reader';
import { ModelService } from '../../src/main/services/model/model-service';
import { inspectOnnx } from '../../src/main/services/model/onnx/inspect-onnx';
import { bundleFileWorker } from '../support/worker-bundle';
import { applyMutations, arbMutations } from '../support/corrupt-files';
import { sampleModelDir } from '../support/paths';
import { diabetesCsv, validParquet } from '../support/valid-files';

const RUNS = Number(process.env.PREFLIGHT_FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.PREFLIGHT_FUZZ_SEED ?? 20261203);
const params = { numRuns: RUNS, seed: SEED, endOnFailure: true } as const;
/** Per-parser budget: generous for 2 000 inputs on a busy 2-core machine, scaled for longer runs. */
const budget = (msPer2000: number): number => Math.max(msPer2000, (msPer2000 * RUNS) / 2000) + 30_000;

let dir: string;
let n = 0;
const put = (ext: string, bytes: Uint8Array | string): string => {
  const path = join(dir, `f${n++ % 64}.${ext}`);
  writeFileSync(path, bytes);
  return path;
};

/** A valid file mutated, or (one time in eight) random bytes. */
const arbFile = (valid: Uint8Array): fc.Arbitrary<Uint8Array> =>
  fc.oneof({ weight: 7, arbitrary: arbMutations(valid.length).map((m) => applyMutations(valid, m)) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }) });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-fuzz-'));
  if (RUNS !== 2000) console.log(`fuzz: ${RUNS} runs per parser, seed ${SEED}`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`fuzz: ${RUNS} inputs per parser`, () => {
  it('parquet (the batch file reader, in its own process)', async () => {
    const reader = new FileReader({ workerPath: await bundleFileWorker(join(dir, 'file-worker.js')), timeoutMs: 3_000 });
    const valid = validParquet();
    try {
      await fc.assert(
        fc.asyncProperty(arbFile(valid), async (bytes) => {
          const path = put('parquet', bytes);
          try {
            const meta = await reader.openParquet(path);
            let rows = 0;
            for (let s = 0; s < meta.rows; s += 200) rows += (await reader.readParquet(path, s, Math.min(meta.rows, s + 200))).length;
            expect(rows).toBe(meta.rows);
          } catch (err) {
            if (!isAppError(err)) throw err;
            expect(err.code).toBe('E_INVALID_FILE');
            expect(err.message).toContain(`Error processing input file: '${path}'. `);
          }
        }),
        params,
      );
    } finally {
      reader.dispose();
    }
  }, budget(60_000));

  it('CSV (batch records and frames typed by the signature)', async () => {
    const report = await new ModelService().inspect(sampleModelDir);
    const schema = report.signature!.inputs as Schema;
    const valid = new TextEncoder().encode(diabetesCsv(40));
    await fc.assert(
      fc.asyncProperty(arbFile(valid), fc.integer({ min: 1, max: 50 }), async (bytes, chunkRows) => {
        const path = put('csv', bytes);
        const { header, chunks } = await openCsvRecords(path, chunkRows);
        if (header === null) return;
        let first = 0;
        for await (const chunk of chunks) {
          try {
            const frame = csvChunkFrame(header, chunk, schema, first);
            expect(frame.nrows).toBe(chunk.records.length);
          } catch (err) {
            if (!(err instanceof CsvChunkError)) throw err;
            expect(err.pyMessage.length).toBeGreaterThan(0);
          }
          first += chunk.records.length;
        }
      }),
      params,
    );
  }, budget(60_000));

  it('ONNX (the streaming inspector)', async () => {
    const valid = new Uint8Array(readFileSync(join(sampleModelDir, 'model.onnx')));
    await fc.assert(
      fc.asyncProperty(arbFile(valid), async (bytes) => {
        const path = put('onnx', bytes);
        try {
          await inspectOnnx(path, 'model.onnx');
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).code).toBe('E_INVALID_FILE');
          expect((err as AppError).message).toContain('model.onnx');
        }
      }),
      params,
    );
  }, budget(60_000));

  it('MLmodel (YAML, MLflow fields)', () => {
    const valid = new Uint8Array(readFileSync(join(sampleModelDir, 'MLmodel')));
    fc.assert(
      fc.property(fc.oneof(arbFile(valid).map((b) => new TextDecoder().decode(b)), fc.string({ maxLength: 300 })), (text) => {
        try {
          parseMLmodelText(text);
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).code).toBe('E_INVALID_FILE');
          expect((err as AppError).message).toContain('MLmodel');
        }
      }),
      params,
    );
  }, budget(30_000));
});
