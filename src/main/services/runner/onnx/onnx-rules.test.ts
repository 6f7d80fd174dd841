import { describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { interleavedDtype } from '@shared/mlflow/payload/onnx-feed-dtype';
import { buildFeeds } from './feeds';
import { toOrtSessionOptions } from './session-options';
import { floatToHalfBits, halfBitsToFloat } from './tensor-data';

describe('onnx_session_options → onnxruntime-node options (MLflow _OnnxModelWrapper rules)', () => {
  it('maps every setting, and ignores falsy values the way MLflow\'s walrus checks do', () => {
    expect(toOrtSessionOptions({ inter_op_num_threads: 2, intra_op_num_threads: 3, execution_mode: 'Sequential', graph_optimization_level: 1, extra_session_config: { 'session.x': '1' } })).toEqual({
      interOpNumThreads: 2, intraOpNumThreads: 3, executionMode: 'sequential', graphOptimizationLevel: 'basic', extra: { 'session.x': '1' },
    });
    expect(toOrtSessionOptions({ inter_op_num_threads: 0, graph_optimization_level: 0, execution_mode: '' })).toEqual({});
    expect(toOrtSessionOptions(null)).toEqual({});
    // An unknown execution mode is silently kept at onnxruntime's default in MLflow.
    expect(toOrtSessionOptions({ execution_mode: 'fast' })).toEqual({});
  });

  it('rejects what makes MLflow fail at load time, naming the setting', () => {
    expect(() => toOrtSessionOptions({ graph_optimization_level: 3 })).toThrow(/graph_optimization_level 3 is not a valid GraphOptimizationLevel/);
    expect(() => toOrtSessionOptions({ execution_mode: 1 })).toThrow(AppError);
    expect(() => toOrtSessionOptions({ extra_session_config: { k: 1 } })).toThrow(/extra_session_config\.k must be a string/);
  });
});

describe('DataFrame.values dtype (pandas interleaved dtype)', () => {
  it('keeps a single dtype and promotes numbers like numpy', () => {
    expect(interleavedDtype(['float64', 'float64'])).toBe('float64');
    expect(interleavedDtype(['float32', 'float32'])).toBe('float32');
    expect(interleavedDtype(['int64', 'float32'])).toBe('float64');
    expect(interleavedDtype(['int8', 'float32'])).toBe('float32');
    expect(interleavedDtype(['int32', 'int64'])).toBe('int64');
    expect(interleavedDtype(['uint64', 'int64'])).toBe('float64');
    expect(interleavedDtype(['uint8', 'int8'])).toBe('int16');
  });
  it('falls back to object for bool or strings mixed with anything else', () => {
    expect(interleavedDtype(['bool', 'int64'])).toBe('object');
    expect(interleavedDtype(['object', 'float64'])).toBe('object');
  });
});

describe('float16 bits', () => {
  it('round-trips representable values and rounds half to even', () => {
    for (const x of [0, 1, -2.5, 65504, 6.103515625e-5, 5.960464477539063e-8]) expect(halfBitsToFloat(floatToHalfBits(x))).toBe(x);
    expect(floatToHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(floatToHalfBits(70000)).toBe(0x7c00);
    expect(Number.isNaN(halfBitsToFloat(floatToHalfBits(NaN)))).toBe(true);
  });
});

describe('feeds by input name', () => {
  it('keeps an input named __proto__ as a plain key (not the object\'s prototype)', () => {
    const data = { kind: 'ndarray' as const, dtype: 'float32', shape: [1, 2], data: [1, 2] };
    const { feeds } = buildFeeds([{ name: '__proto__', type: 'tensor(float)', elemType: 'float' }], { kind: 'dict', items: new Map([['__proto__', data]]) }, 'm.onnx');
    expect(Object.keys(feeds)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(feeds, '__proto__')?.value).toMatchObject({ type: 'float32', dims: [1, 2] });
  });
});
