import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PythonWorker, stderrSummary, type PythonWorkerOptions } from './python-worker';

/** A PythonWorker running `source` (a stand-in for preflight_worker.py) with python3; stderr lines go to `logged`. */
function workerRunning(source: string, logged: string[], options: Partial<PythonWorkerOptions> = {}): PythonWorker {
  const script = join(mkdtempSync(join(tmpdir(), 'pf-pyw-')), 'worker.py');
  writeFileSync(script, source);
  return new PythonWorker({ python: 'python3', script, label: 'test', onStderr: (l) => logged.push(l), ...options });
}

describe('stderrSummary (what a crash message quotes from the worker\'s stderr)', () => {
  it('takes the exception line of the last Python traceback', () => {
    const tb = [
      '[preflight-worker] ready (python 3.11.2, pid 1)',
      'Traceback (most recent call last):',
      '  File "model.py", line 3, in predict',
      '    import torch',
      "ModuleNotFoundError: No module named 'torch'",
      '',
    ].join('\n');
    expect(stderrSummary(tb)).toBe("ModuleNotFoundError: No module named 'torch'");
  });

  it('otherwise takes the last line the process wrote, ignoring the worker\'s own log', () => {
    expect(stderrSummary('some warning\nSegmentation fault\n')).toBe('Segmentation fault');
    expect(stderrSummary('[preflight-worker] ready (python 3.11.2, pid 1)\n')).toBeNull();
  });
});

describe('PythonWorker over frames', () => {
  it('stops a worker that writes something that is not a frame to stdout, says so, and starts afresh next call', async () => {
    const logged: string[] = [];
    // Reads one request, then prints to the protocol's stdout instead of answering.
    const worker = workerRunning('import sys\nsys.stdin.buffer.read(12)\nsys.stdout.write("hello from a stray print\\n")\nsys.stdout.flush()\nimport time\ntime.sleep(30)\n', logged);
    try {
      await expect(worker.call({ op: 'ping' } as never, { timeoutMs: 10_000, doing: 'checking' })).rejects.toThrow(/not a protocol frame to its stdout \("hello from a stray print/);
      expect(worker.running).toBe(false);
      expect(logged.some((l) => l.startsWith('[stdout] hello'))).toBe(true);
      await expect(worker.call({ op: 'ping' } as never, { timeoutMs: 10_000, doing: 'checking' })).rejects.toThrow(/not a protocol frame/);
      expect(worker.starts).toBe(2);
    } finally {
      await worker.dispose(200);
    }
  });
});

describe('PythonWorker environment', () => {
  /** Starts a worker whose script reports its BLAS thread settings on stderr, and returns what it said. */
  async function blasEnv(options: { env?: Record<string, string> } = {}): Promise<string> {
    const logged: string[] = [];
    const worker = workerRunning('import os, sys\nsys.stderr.write("blas " + " ".join(os.environ.get(k, "-") for k in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")) + "\\n")\nsys.stderr.flush()\nsys.stdin.buffer.read()\n', logged, options);
    try {
      // The script never answers: the call only starts it. Wait for its line (a loaded machine can take seconds
      // to start Python), not for a fixed time.
      const call = worker.call({ op: 'ping' } as never, { timeoutMs: 30_000, doing: 'checking' }).catch(() => undefined);
      for (const until = Date.now() + 30_000; Date.now() < until && !logged.some((l) => l.startsWith('blas ')); ) await new Promise((r) => setTimeout(r, 20));
      void call;
      return logged.find((l) => l.startsWith('blas ')) ?? `(no line; stderr: ${logged.join(' | ')})`;
    } finally {
      await worker.dispose(200);
    }
  }

  it('runs BLAS single-threaded (its helper threads would busy-wait on the app\'s cores between requests)', async () => {
    const saved = process.env.OPENBLAS_NUM_THREADS;
    delete process.env.OPENBLAS_NUM_THREADS;
    try {
      expect(await blasEnv()).toBe('blas 1 1 1');
    } finally {
      if (saved !== undefined) process.env.OPENBLAS_NUM_THREADS = saved;
    }
  });

  it("keeps the user's own setting, from the environment or the engine's options", async () => {
    const saved = process.env.OPENBLAS_NUM_THREADS;
    process.env.OPENBLAS_NUM_THREADS = '4';
    try {
      expect(await blasEnv()).toMatch(/^blas 4 /);
      expect(await blasEnv({ env: { MKL_NUM_THREADS: '8' } })).toMatch(/^blas 4 8 1$/);
    } finally {
      if (saved === undefined) delete process.env.OPENBLAS_NUM_THREADS;
      else process.env.OPENBLAS_NUM_THREADS = saved;
    }
  });
});
