import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FileReader } from '../batch/file-reader/file-reader';
import { SupervisedChild, type CallEnd, type ChildEnd } from './supervised-child';
import { forkNodeWorker } from './worker-process';
import { processAlive } from '../../../../test/support/processes';

/** A child that answers, loops forever, or dies, as each request asks. */
const dir = mkdtempSync(join(tmpdir(), 'preflight-supervised-'));
const worker = join(dir, 'worker.mjs');
writeFileSync(
  worker,
  `process.on('message', (m) => {
    if (m.do === 'die') process.exit(7);
    if (m.do === 'bye') { process.send({ type: 'event', said: 'bye' }); setTimeout(() => process.exit(0), 20); return; }
    if (m.do === 'ignore') return;
    if (m.do !== 'echo') for (;;) {}
    process.send({ type: 'event', said: 'before' });
    process.send({ id: m.id, type: 'echo', pid: process.pid });
  });
  process.on('disconnect', () => process.exit(0));`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Req = { do: 'echo' | 'loop' | 'die' | 'bye' | 'ignore' };
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

describe('SupervisedChild: the end of a process and shutdown', () => {
  const observed = () => {
    const events: unknown[] = [];
    const ends: ChildEnd[] = [];
    const c = new SupervisedChild<Req, { type: string; pid: number }, string>({
      start: () => forkNodeWorker(worker, { name: 'test' }),
      onEvent: (m) => events.push(m),
      onEnd: (e) => ends.push(e),
      failure: (end: CallEnd, ctx) => new Error(`${ctx}: ${end.kind}`),
    });
    return { c, events, ends };
  };

  it('messages without a call id go to onEvent; each end says whether the parent killed the process, and why', async () => {
    const { c, events, ends } = observed();
    await c.call({ do: 'echo' }, { timeoutMs: 5_000, context: 'echo' });
    expect(events).toEqual([{ type: 'event', said: 'before' }]);
    await expect(c.call({ do: 'loop' }, { timeoutMs: 200, context: 'loop' })).rejects.toThrow('loop: timeout');
    await vi.waitFor(() => expect(ends).toHaveLength(1));
    expect(ends[0]).toMatchObject({ killedFor: 'timeout', signal: 'SIGKILL' });
    await expect(c.call({ do: 'die' }, { timeoutMs: 5_000, context: 'die' })).rejects.toThrow('die: crash');
    expect(ends[1]).toMatchObject({ killedFor: null, exitCode: 7 });
    await c.dispose();
  });

  it('dispose sends an idle child its farewell and resolves once it exited by itself', async () => {
    const { c, events, ends } = observed();
    const { pid } = await c.call({ do: 'echo' }, { timeoutMs: 5_000, context: 'echo' });
    await c.dispose({ farewell: { do: 'bye' }, graceMs: 5_000 });
    expect(events).toContainEqual({ type: 'event', said: 'bye' });
    expect(ends[0]).toMatchObject({ killedFor: 'dispose', exitCode: 0, signal: null });
    expect(processAlive(pid)).toBe(false);
    expect(c.running).toBe(false);
  });

  it('a child that ignores the farewell is killed after the grace time; a busy one at once, its calls cancelled', async () => {
    const idle = observed();
    await idle.c.call({ do: 'echo' }, { timeoutMs: 5_000, context: 'echo' });
    const t0 = performance.now();
    await idle.c.dispose({ farewell: { do: 'ignore' }, graceMs: 300 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
    expect(idle.ends[0]).toMatchObject({ killedFor: 'dispose', signal: 'SIGKILL' });

    const busy = observed();
    const looping = busy.c.call({ do: 'loop' }, { timeoutMs: 10_000, context: 'loop' });
    const cancelled = expect(looping).rejects.toThrow('loop: cancel');
    const t1 = performance.now();
    await busy.c.dispose({ farewell: { do: 'bye' }, graceMs: 5_000 });
    await cancelled;
    expect(performance.now() - t1).toBeLessThan(2_000);
    expect(busy.ends[0]).toMatchObject({ killedFor: 'dispose', signal: 'SIGKILL' });
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
