import { describe, expect, it } from 'vitest';
import { AppError, ErrorCodes } from '@shared/errors';
import type { ModelReport } from '@shared/mlflow/model-report';
import type { PayloadModelContext } from '../payload/model-context';
import { RunnerErrorCodes } from './onnx/runner-errors';
import type { OffThreadPreparer } from './prepare/offthread-preparer';
import { prepareForPython } from './prepare/prepared-request';
import { RunnerService, type LoadedModel, type PythonEngineAdapter } from './runner-service';

const context: PayloadModelContext = {
  path: '/m', signature: null, mlmodelVersion: '2.12.2', requirementsPin: null, isSignatureFromTypeHint: false,
  inputExample: null, flavors: ['python_function'], servingInputExample: null,
};
const model: LoadedModel = { path: '/m', name: 'm', engine: 'python', report: { path: '/m', name: 'm' } as unknown as ModelReport, context, onnx: null };

const raisedError = () => new AppError(RunnerErrorCodes.MODEL_RUN, 'm: the model raised ValueError: bad', { details: { python: { type: 'ValueError', message: 'bad' }, traceback: '' } });

/** A Python engine whose model always raises `err`. */
const raising = (err: Error): PythonEngineAdapter => ({ predict: () => Promise.reject(err) });

/** A preparer that prepares every body (in-thread, the worker's code) and whose `raisedAnswer` fails as a crashed or closing one does. */
function brokenPreparer(): OffThreadPreparer {
  return {
    wants: () => true,
    prepare: (r: Parameters<OffThreadPreparer['prepare']>[0]) => Promise.resolve(prepareForPython(r)),
    raisedAnswer: () => Promise.reject(new AppError(ErrorCodes.INTERNAL, "Preflight's request preparation thread stopped while reading this request (exit code 1); the model was not run.")),
  } as unknown as OffThreadPreparer;
}

const body = JSON.stringify({ dataframe_split: { columns: ['a', 'b'], data: [[1.0, 'x'], [2.5, 'y']] } });

describe('RunnerService.score: the model raised on a request prepared off-thread', () => {
  it.each(['mlflow', 'azureml'] as const)('%s: the preparer cannot give the answer (its thread crashed): the answer is the in-thread one, not "the model was not run"', async (server) => {
    const runner = new RunnerService({ python: raising(raisedError()) });
    const req = { body: server === 'azureml' ? JSON.stringify({ input_data: { columns: ['a', 'b'], data: [[1.0, 'x'], [2.5, 'y']] } }) : body, contentType: 'application/json', server, mlflowVersion: null };
    const reference = await runner.score(model, req);
    expect(reference.status).toBe(server === 'mlflow' ? 400 : 500);
    const prepared = await runner.score(model, req, { preparer: brokenPreparer() });
    expect(prepared).toEqual(reference);
  });

  it('not the model raising: the engine error is rethrown, the preparer not asked', async () => {
    const err = new AppError('E_TIMEOUT', 'slow');
    const runner = new RunnerService({ python: raising(err) });
    await expect(runner.score(model, { body, contentType: 'application/json', server: 'mlflow', mlflowVersion: null }, { preparer: brokenPreparer() })).rejects.toBe(err);
  });
});
