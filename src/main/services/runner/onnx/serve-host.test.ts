import { describe, expect, it } from 'vitest';
import { childExecArgv } from './serve-host';

describe('PREFLIGHT_ONNX_CHILD_EXEC_ARGV (flags for the serving process, e.g. to profile it)', () => {
  it('is empty unless set: the serving process never inherits the parent’s flags', () => {
    expect(childExecArgv({})).toEqual([]);
    expect(childExecArgv({ PREFLIGHT_ONNX_CHILD_EXEC_ARGV: '' })).toEqual([]);
    expect(childExecArgv({ PREFLIGHT_ONNX_CHILD_EXEC_ARGV: '   ' })).toEqual([]);
  });

  it('splits the value on whitespace', () => {
    expect(childExecArgv({ PREFLIGHT_ONNX_CHILD_EXEC_ARGV: ' --cpu-prof  --cpu-prof-dir=/tmp/p\t--max-semi-space-size=32 ' })).toEqual([
      '--cpu-prof',
      '--cpu-prof-dir=/tmp/p',
      '--max-semi-space-size=32',
    ]);
  });
});
