import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileReader } from '../batch/file-reader/file-reader';
import { SupervisedChild, type CallEnd } from './supervised-child';
import { forkNodeWorker } from './worker-process';

/** A child that answers, loops forever, or dies, as each request asks. */
const dir = mkdtempSync(join(tmpdir(), 'preflight-supervised-'));
const worker = join(dir, 'worker.mjs');
writeFileSync(
  worker,
  `process.on('message', (m) => {
    if (m.do === 'die') process.exit(7);
    if (m.do !== 'echo') for (;;) {}
    process.send({ id: m.id, type: 'echo', pid: process.pid });
  });
  process.on('disconnect', () => process.exit(0));`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Req = { do: 'echo' | 'loop' | 'die' };
const child = () => new SupervisedChild<Req, { type: string; pid: number }, string>({ start: () => forkNodeWorker(worker, { name: 'test' }), failure: (end: CallEnd, ctx) => new Error(`${ctx}: ${end.kind}${end.kind === 'crash' ? ` (${end.how})` : ''}`) });

describe('SupervisedChild', () => {
  it('a call stuck in an endless loop is stopped at its deadline; the next call gets a fresh child', async () => {
    const c = child();
    const first = await c.call({ do: 'echo' }, { timeoutMs: 5_000, context: 'echo' });
    const t0 = performance.now();
    await expect(c.call({ do: 'loop' }, { timeoutMs: 300, context: 'loop' })).rejects.toThrow('loop: timeout');
    expect(performance.now() - t0).toBeLessThan(3_000);
    const next = await c.call({ do: 'echo' }, { timeoutMs: 5_000, context: 'echo' });
    expect(next.pid).not.toBe(first.pid);
    expect(c.starts).toBe(2);
    c.dispose();
  });

  it('a crash fails the call with how the child ended; other calls in flight fail too', async () => {
    const c = child();
    const die = c.call({ do: 'die' }, { timeoutMs: 5_000, context: 'die' });
    const queued = c.call({ do: 'echo' }, { timeoutMs: 5_000, context: 'queued' }); // never read: the child exits first
    await expect(die).rejects.toThrow('die: crash (exited with code 7)');
    await expect(queued).rejects.toThrow('queued: crash (exited with code 7)');
    c.dispose();
  });

  it('an AbortSignal cancels a looping call at once', async () => {
    const c = child();
    const ac = new AbortController();
    const p = c.call({ do: 'loop' }, { timeoutMs: 10_000, signal: ac.signal, context: 'loop' });
    setTimeout(() => ac.abort(), 100);
    await expect(p).rejects.toThrow('loop: cancel');
    c.dispose();
  });
});

describe('FileReader deadline', () => {
  it("a decoder that never finishes is a clear error naming the file, what it was doing and how to allow more time", async () => {
    const reader = new FileReader({ workerPath: worker, timeoutMs: 300 });
    // The fake worker loops on any request other than echo/die: here, the parquet footer read.
    await expect(reader.openParquet('/data/part-0.parquet')).rejects.toMatchObject({
      code: 'E_INVALID_FILE',
      message: expect.stringMatching(
        /^Error processing input file: '\/data\/part-0\.parquet'\. Reading its footer did not finish within 300 ms, so Preflight stopped the file reader\. The file is probably corrupted .* allow more time with --read-timeout <seconds> \(CLI\)\.$/,
      ),
    });
    reader.dispose();
  });
});
