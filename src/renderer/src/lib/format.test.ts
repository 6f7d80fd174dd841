import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatOnnxDomain,
  formatOnnxShape,
  formatParamShape,
  formatTensorShape,
  formatValue,
  splitBackticks,
} from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [1536, '1.50 KiB'],
    [10 * 1024 + 512, '10.5 KiB'],
    [300 * 1024 * 1024, '300 MiB'],
    [1.25 * 1024 ** 3, '1.25 GiB'],
  ])('%d bytes → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it('shows a dash for sizes the report does not know', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});

describe('shapes', () => {
  it('spells out -1 as a variable dimension in MLflow tensor shapes', () => {
    expect(formatTensorShape([-1, 10])).toBe('[-1 (any), 10]');
    expect(formatTensorShape([1, 512, 512])).toBe('[1, 512, 512]');
    expect(formatTensorShape([])).toBe('[] (scalar)');
  });

  it('shows a param without shape as a scalar and [-1] as a list', () => {
    expect(formatParamShape(null)).toBe('scalar');
    expect(formatParamShape([-1])).toBe('[-1 (any)]');
  });

  it('keeps symbolic ONNX dims and marks anonymous ones with ?', () => {
    expect(formatOnnxShape(['N', 10])).toBe('[N, 10]');
    expect(formatOnnxShape([null, 3])).toBe('[?, 3]');
    expect(formatOnnxShape(null)).toBe('unknown rank');
  });

  it('names the default ONNX domain', () => {
    expect(formatOnnxDomain('')).toBe('ai.onnx');
    expect(formatOnnxDomain('ai.onnx.ml')).toBe('ai.onnx.ml');
  });
});

describe('formatValue', () => {
  it('shows strings bare and everything else as JSON', () => {
    expect(formatValue('model.pkl')).toBe('model.pkl');
    expect(formatValue(0.7)).toBe('0.7');
    expect(formatValue(false)).toBe('false');
    expect(formatValue(null)).toBe('null');
    expect(formatValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(formatValue(undefined)).toBe('—');
  });
});

describe('splitBackticks', () => {
  it('turns `quoted` values into code segments', () => {
    expect(splitBackticks('conda.yaml:7 says `mlflow`. Pin `mlflow==2.16.2`.')).toEqual([
      { code: false, text: 'conda.yaml:7 says ' },
      { code: true, text: 'mlflow' },
      { code: false, text: '. Pin ' },
      { code: true, text: 'mlflow==2.16.2' },
      { code: false, text: '.' },
    ]);
  });

  it('leaves text without a closing backtick alone', () => {
    expect(splitBackticks('a ` b')).toEqual([{ code: false, text: 'a ` b' }]);
    expect(splitBackticks('')).toEqual([]);
  });
});
