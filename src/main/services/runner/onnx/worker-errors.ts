/**
 * onnxruntime's failures → AppErrors that say what the user can do, with the equivalent Python
 * exception for failures inside a run (so the scoring servers answer with the right status). Used by
 * the engine (calls through the worker) and by the serving process (runs in its own process).
 */
import { AppError, ErrorCodes } from '@shared/errors';
import { feedTypeAdvice, intsForFloats } from '@shared/mlflow/payload/onnx-feed-dtype';
import type { ModelPlan } from './model-plan';
import { modelRunError, RunnerErrorCodes } from './runner-errors';

export function crashHint(plan: ModelPlan): string | undefined {
  const packed = plan.outputs.filter((o) => /^tensor\((u?int4|u?int2|float4e2m1)\)$/.test(o.type));
  if (packed.length === 0) return undefined;
  return `Its output ${packed.map((o) => `'${o.name}' is ${o.type}`).join(', ')}: onnxruntime-node 1.30 cannot return packed 4-bit tensors and aborts the whole process when it tries.`;
}

/** Known onnxruntime failure texts → what the user can do about them. */
export function workerError(plan: ModelPlan, stage: 'load' | 'run' | 'changed', message: string): AppError {
  const name = plan.relName;
  if (stage === 'changed') {
    return new AppError(ErrorCodes.UNREADABLE, `${name}: the file changed while it was being loaded. Run again once it is no longer being written.`);
  }
  if (/Failed to construct locale with name:?\s*en_US\.UTF-8/i.test(message)) {
    return new AppError(
      ErrorCodes.ENVIRONMENT,
      `${name} uses the StringNormalizer operator, which needs the en_US.UTF-8 locale, and this machine does not have it installed. ` +
        `Install it and try again: on Debian/Ubuntu 'apt-get install locales', enable 'en_US.UTF-8 UTF-8' in /etc/locale.gen and run 'locale-gen'.`,
      { details: { model: name, missingLocale: 'en_US.UTF-8', runtimeMessage: message } },
    );
  }
  if (stage === 'load') {
    let hint = '';
    const dt = /Unsupported data type: (\d+)/.exec(message);
    if (dt) hint = ` The model has a ${dt[1] === '16' ? 'bfloat16' : Number(dt[1]) >= 17 && Number(dt[1]) <= 20 ? 'float8' : `type ${dt[1]}`} input or output, which onnxruntime-node cannot exchange with JavaScript.`;
    else if (/is not a registered function\/op/.test(message)) hint = ' The model uses a custom operator (e.g. from onnxruntime-extensions) that plain onnxruntime does not have.';
    return new AppError(RunnerErrorCodes.MODEL_LOAD, `${name}: onnxruntime could not load the model: ${stripPath(message, plan.path, name)}.${hint}`, { details: { model: name, runtimeMessage: message } });
  }
  if (/Non tensor type is temporarily not supported/.test(message)) {
    return new AppError(RunnerErrorCodes.UNSUPPORTED_MODEL, `${name}: onnxruntime-node cannot return one of this model's outputs (a sequence, map or optional): ${message}`, { details: { model: name, runtimeMessage: message } });
  }
  // Python's onnxruntime raises these as InvalidArgument (bad feeds) or Fail (errors inside a kernel).
  const invalid = /Unexpected input data type|invalid dimensions|Invalid rank|Invalid input name|Got invalid/i.test(message) || saysInputMissing(message);
  const pyType = `onnxruntime.capi.onnxruntime_pybind11_state.${invalid ? 'InvalidArgument' : 'Fail'}`;
  const hint = dtypeHint(plan, message);
  const pyMessage = `[ONNXRuntimeError] : ${invalid ? '2 : INVALID_ARGUMENT' : '1 : FAIL'} : ${message}`;
  return modelRunError(`${name}: onnxruntime failed to run the model: ${message}${hint}`, { type: pyType, message: pyMessage }, name);
}

/**
 * onnxruntime's "Unexpected input data type" names neither the input nor the cause. The usual one: numbers written
 * without a decimal point reach the graph as int64, and MLflow's wrapper casts only float64 to float32 (mlflow issue
 * 1286), so a float input refuses them — in Azure ML and `mlflow models serve` alike. Empty for other messages.
 */
function dtypeHint(plan: ModelPlan, message: string): string {
  const m = /Unexpected input data type\. Actual: \((tensor\([\w]+\))\)\s*, expected: \((tensor\([\w]+\))\)/.exec(message);
  if (!m) return '';
  const [, actual, expected] = m as unknown as [string, string, string];
  const inputs = plan.inputs.filter((i) => i.type === expected).map((i) => `'${i.name}'`);
  const which =
    inputs.length === 0 ? `An input of the model is ${expected}` : inputs.length === 1 ? `The model's input ${inputs[0]} is ${expected}` : `The model's inputs ${inputs.join(', ')} are ${expected}`;
  const it = inputs.length > 1 ? 'them' : 'it';
  const arrive = intsForFloats(actual, expected) ? `the request's numbers for ${it} have no decimal point, so they arrive as ${actual}` : `the request's values for ${it} arrive as ${actual}`;
  return `. ${which} and ${arrive}; the servers cast only float64 to float32 before onnxruntime, nothing else. ${feedTypeAdvice(actual, expected)}`;
}

/** onnxruntime puts the absolute path into load errors; the user knows the model by its relative name. */
function stripPath(message: string, path: string, name: string): string {
  return message.split(path).join(name).replace(/\.\s*$/, '');
}

/**
 * `/input .* is missing/i.test(message)` in linear time: on a line (`.` stops at breaks), the first `input ` has the
 * most text after it. The pattern re-scanned the line from every `input ` (quadratic on a message quoting a hostile
 * model's or request's names).
 */
function saysInputMissing(message: string): boolean {
  return message.split(/[\n\r\u2028\u2029]/).some((line) => {
    const at = /input /i.exec(line);
    return at !== null && / is missing/i.test(line.slice(at.index + at[0].length));
  });
}
