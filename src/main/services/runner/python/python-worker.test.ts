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
