import { describe, expect, it } from 'vitest';
import { workerError } from './worker-errors';
import type { ModelPlan } from './model-plan';

const plan = { relName: 'model.onnx', path: '/m/model.onnx', outputs: [] } as unknown as ModelPlan;
const pythonType = (message: string): string => (workerError(plan, 'run', message).details as { python: { type: string } }).python.type;

describe('workerError: which Python exception a run failure is', () => {
  it('a bad feed is InvalidArgument, a kernel failure is Fail', () => {
    expect(pythonType("input 'x' is missing")).toBe('onnxruntime.capi.onnxruntime_pybind11_state.InvalidArgument');
    expect(pythonType('Got invalid dimensions for input: x')).toBe('onnxruntime.capi.onnxruntime_pybind11_state.InvalidArgument');
    expect(pythonType("input 'x'\nis missing")).toBe('onnxruntime.capi.onnxruntime_pybind11_state.Fail');
    expect(pythonType('Non-zero status code returned while running Add node.')).toBe('onnxruntime.capi.onnxruntime_pybind11_state.Fail');
  });
  it('a message quoting hostile names (`input ` many times, no `is missing`) is classified at once', { timeout: 5_000 }, () => {
    // /input .* is missing/i scanned the rest of the line from every `input `: 100 000 characters took 1.2 s
    expect(pythonType(`Non-zero status code returned while running Add node. Name:'${'input '.repeat(50_000)}'`)).toBe('onnxruntime.capi.onnxruntime_pybind11_state.Fail');
  });
});
