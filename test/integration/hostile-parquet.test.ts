/**
 * Corrupted parquet files through the file reader (issue 12 item 1): a corpus made from a valid file by
 * seeded truncations, bit flips, overwrites, zeroed/duplicated/cut ranges. Every answer must come within
 * 10 s and be either the footer's full row count or a clear AppError naming the file — never a hang,
 * a crash of this process, or silently fewer rows.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/shared/errors';
import { FileReader } from '../../src/main/services/batch/file-reader/file-reader';
import { bundleFileWorker } from '../support/worker-bundle';
import { corruptCorpus } from '../support/corrupt-files';
import { validParquet } from '../support/valid-files';

let dir: string;
let workerPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-hostile-parquet-'));
  workerPath = await bundleFileWorker(join(dir, 'file-worker.js'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Outcome = { kind: 'rows'; rows: number; footer: number } | { kind: 'error'; code: string; message: string };

async function readAll(reader: FileReader, path: string): Promise<Outcome> {
  try {
    const meta = await reader.openParquet(path);
    let rows = 0;
    for (let start = 0; start < meta.rows; start += 128) rows += (await reader.readParquet(path, start, Math.min(meta.rows, start + 128))).length;
    return { kind: 'rows', rows, footer: meta.rows };
  } catch (err) {
    if (!isAppError(err)) throw err;
    return { kind: 'error', code: err.code, message: err.message };
  }
}

describe('corrupted parquet corpus', () => {
  it('every file answers within 10 s: all the footer\'s rows, or a clear error naming the file', async () => {
    const reader = new FileReader({ workerPath, timeoutMs: 2_000 });
    const valid = validParquet();
    const corpus = corruptCorpus(valid, 400, 12_000);
    const counts: Record<string, number> = {};
    try {
      for (const c of corpus) {
        const path = join(dir, `seed-${c.seed}.parquet`);
        writeFileSync(path, c.bytes);
        const t0 = performance.now();
        const o = await readAll(reader, path);
        const ms = performance.now() - t0;
        expect(ms, `seed ${c.seed} took ${ms} ms`).toBeLessThan(10_000);
        if (o.kind === 'rows') {
          // A flipped value inside a page is not detectable (no checksums); fewer rows than the footer promises is.
          expect(o.rows, `seed ${c.seed}`).toBe(o.footer);
          counts.rows = (counts.rows ?? 0) + 1;
        } else {
          expect(o.code, `seed ${c.seed}: ${o.message}`).toBe('E_INVALID_FILE');
          expect(o.message).toContain(`Error processing input file: '${path}'.`);
          expect(o.message).toMatch(/corrupted|truncated/);
          const kind = /did not finish within/.test(o.message) ? 'timeout' : /reader stopped/.test(o.message) ? 'crash' : 'error';
          counts[kind] = (counts[kind] ?? 0) + 1;
        }
      }
    } finally {
      reader.dispose();
    }
    console.log('corrupted parquet corpus outcomes:', counts);
    expect(counts.error).toBeGreaterThan(100);
    // The page-header checks turn every known decoder loop into an immediate error; the deadline is the last resort.
    expect(counts.timeout ?? 0).toBe(0);
  }, 180_000);
});
