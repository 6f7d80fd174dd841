import { describe, expect, it } from 'vitest';
import { stderrSummary } from './python-worker';

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
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { PythonWorker } = await import('./python-worker');
    const dir = mkdtempSync(join(tmpdir(), 'pf-pyw-'));
    const script = join(dir, 'noisy.py');
    // Reads one request, then prints to the protocol's stdout instead of answering.
    writeFileSync(script, 'import sys\nsys.stdin.buffer.read(12)\nsys.stdout.write("hello from a stray print\\n")\nsys.stdout.flush()\nimport time\ntime.sleep(30)\n');
    const logged: string[] = [];
    const worker = new PythonWorker({ python: 'python3', script, label: 'noisy', onStderr: (l) => logged.push(l) });
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
