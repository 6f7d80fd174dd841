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

describe('workerError: a feed of the wrong dtype says which input and what to send', () => {
  const typed = { ...plan, inputs: [{ name: 'a', type: 'tensor(float)', elemType: 'float' }, { name: 'ids', type: 'tensor(int64)', elemType: 'int64' }] } as unknown as ModelPlan;
  const ORT = 'Unexpected input data type. Actual: (tensor(int64)) , expected: (tensor(float))';
  it('integers sent to a float input: write them with a decimal point; the Python exception is untouched', () => {
    const e = workerError(typed, 'run', ORT);
    expect(e.message).toContain("The model's input 'a' is tensor(float) and the request's numbers for it have no decimal point, so they arrive as tensor(int64)");
    expect(workerError({ ...typed, inputs: [typed.inputs[0]!, { ...typed.inputs[0]!, name: 'b' }] }, 'run', ORT).message).toContain("(tensor(float)). The model's inputs 'a', 'b' are tensor(float)");
    expect(e.message).toContain('Write them as floats (0.0, not 0)');
    // the server's answer carries onnxruntime's own text only: the hint is for the log and the CLI
    expect((e.details as { python: { message: string } }).python.message).toBe(`[ONNXRuntimeError] : 2 : INVALID_ARGUMENT : ${ORT}`);
  });
  it('floats sent to an integer input: send values of its type', () => {
    const e = workerError(typed, 'run', 'Unexpected input data type. Actual: (tensor(double)) , expected: (tensor(int64))');
    expect(e.message).toContain("The model's input 'ids' is tensor(int64) and the request's values for it arrive as tensor(double)");
  });
  it('other failures get no dtype hint', () => {
    expect(workerError(typed, 'run', 'Non-zero status code returned while running Add node.').message).not.toContain('cast only');
  });
});
