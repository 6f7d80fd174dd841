/**
 * `batch.*` and `package.*` handlers cancel through the shared CancellableRuns (as runner/compare/azure do):
 * only the window that started a run can cancel it, a reused operation id is refused while its run is in
 * progress (documented behaviour of CancellableRuns), and the id is free again once the run settled.
 * The batch job is real: the bundled diabetes ONNX model through the onnxruntime worker on a 60 000-row CSV.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/shared/errors';
import type { CallContext } from '../../src/main/ipc/dispatch';
import { batchHandlers } from '../../src/main/ipc/handlers/batch';
import { CancellableRuns } from '../../src/main/ipc/handlers/cancellable-runs';
import { silentLogger } from '../../src/main/ports/logger';
import { BatchService } from '../../src/main/services/batch/batch-service';
import { sampleModelDir } from '../support/paths';
import { bundleFileWorker, bundleOnnxWorker } from '../support/worker-bundle';

const ctx = (senderId = 'window-1', signal = new AbortController().signal): CallContext => ({ senderId, signal, log: silentLogger });

describe('CancellableRuns', () => {
  it('refuses a second run under an operation id still in progress, for the same window only, and frees it when the run settles', async () => {
    const runs = new CancellableRuns('test run');
    let release!: () => void;
    const first = runs.run(ctx(), 'op-1', (signal) => new Promise<string>((resolve) => { release = () => resolve(signal.aborted ? 'aborted' : 'done'); }));
    await expect(runs.run(ctx(), 'op-1', async () => 'second')).rejects.toMatchObject({ code: ErrorCodes.INVALID_INPUT, message: expect.stringMatching(/opId op-1 is already in progress; use a new opId per run/) });
    // Another window's op-1 is another run.
    await expect(runs.run(ctx('window-2'), 'op-1', async () => 'other window')).resolves.toBe('other window');
    release();
    await expect(first).resolves.toBe('done');
    await expect(runs.run(ctx(), 'op-1', async () => 'again')).resolves.toBe('again');
  });

  it('cancels only the run of the window that started it; cancelling a finished run answers false', async () => {
    const runs = new CancellableRuns('test run');
    const started = runs.run(ctx(), 'op-2', (signal) => new Promise<string>((resolve) => signal.addEventListener('abort', () => resolve('cancelled'))));
    expect(runs.cancel({ senderId: 'window-2' }, 'op-2')).toBe(false);
    expect(runs.cancel({ senderId: 'window-1' }, 'op-2')).toBe(true);
    await expect(started).resolves.toBe('cancelled');
    expect(runs.cancel({ senderId: 'window-1' }, 'op-2')).toBe(false);
  });
});

describe('batch handlers on a real job', () => {
  let dir: string;
  let batch: BatchService;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'preflight-cancel-handlers-'));
    batch = new BatchService({ onnxWorkerPath: await bundleOnnxWorker(join(dir, 'onnx-worker.js')), fileWorkerPath: await bundleFileWorker(join(dir, 'file-worker.js')), progressIntervalMs: 0 });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('another window cannot cancel a job, a reused jobId is refused, the owner cancels it and no predictions are left', async () => {
    const input = join(dir, 'big.csv');
    const row = '0.038,0.05,0.061,0.021,-0.044,-0.034,-0.043,-0.002,0.019,-0.017';
    writeFileSync(input, `age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n${`${row}\n`.repeat(60_000)}`);
    const outDir = join(dir, 'out');
    const answers: Promise<{ cancelled: boolean }>[] = [];
    let asked = false;
    const handlers = batchHandlers({
      batch,
      events: {
        emit: (_name, p) => {
          if (asked || !('rowsDone' in p) || p.rowsDone < 4_000) return;
          asked = true;
          answers.push(handlers.cancel({ jobId: 'job-1' }, ctx('window-2')));
          answers.push(
            handlers.run({ modelPath: sampleModelDir, input, outDir: join(dir, 'out-2'), jobId: 'job-1' }, ctx()).then(
              () => ({ cancelled: false }),
              (e: { code?: string }) => ({ cancelled: e.code === ErrorCodes.INVALID_INPUT }),
            ),
          );
          answers.push(handlers.cancel({ jobId: 'job-1' }, ctx()));
        },
      },
    });
    const summary = await handlers.run({ modelPath: sampleModelDir, input, outDir, chunkRows: 2_000, jobId: 'job-1' }, ctx());
    expect(await Promise.all(answers)).toEqual([{ cancelled: false }, { cancelled: true }, { cancelled: true }]);
    expect(summary.status).toBe('cancelled');
    expect(summary.rows).toBeLessThan(60_000);
    expect(readdirSync(outDir)).toEqual(['summary.json']);
    // Settled: the id is free, and cancelling it now answers false.
    expect(await handlers.cancel({ jobId: 'job-1' }, ctx())).toEqual({ cancelled: false });
  }, 60_000);
});
