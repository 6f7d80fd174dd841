/**
 * Micro-harness for the serving process's hot path (issue 4 score-* benches): `answerOnnxRequest` on
 * the bundled diabetes sample, called in a loop in this process with the real onnxruntime session, no
 * HTTP. Prints µs per request for the 1-row and 10 000-row bodies and the share of `prepareScoreRequest`,
 * so a change to the payload engine can be measured without the noise of two servers and a client.
 * Not part of `npm run bench` (it has no baseline); bundle and run it by hand, optionally profiled:
 *
 *   npx esbuild bench/profile-answer.ts --bundle --platform=node --format=esm --external:onnxruntime-node \
 *     --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" \
 *     --outfile=out/node/bench/profile-answer.mjs && node [--cpu-prof] out/node/bench/profile-answer.mjs [rows…]
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { prepareScoreRequest } from '../src/shared/mlflow/output/score-request';
import { successAnswer } from '../src/shared/mlflow/output/responses';
import { parsePyJson } from '../src/shared/mlflow/payload/py-json';
import { buildFeeds } from '../src/main/services/runner/onnx/feeds';
import { assemblePrediction } from '../src/main/services/runner/onnx/outputs';
import { fromOnnxPrediction } from '../src/main/services/runner/onnx/prediction-view';
import { planModel } from '../src/main/services/runner/onnx/model-plan';
import { answerOnnxRequest, type RunTensors } from '../src/main/services/runner/onnx/serve-answer';
import type { ServeSetup } from '../src/main/services/runner/onnx/serve-protocol';
import type { WireTensor } from '../src/main/services/runner/onnx/tensor-data';
import { RunnerService } from '../src/main/services/runner/runner-service';
import { sampleBody } from './score-support';

const SAMPLE_MODEL = join(process.cwd(), 'resources', 'sample-model');

async function main(): Promise<void> {
  const runner = new RunnerService();
  const model = await runner.load(SAMPLE_MODEL);
  runner.dispose();
  const onnxPath = model.onnx!.onnxPath;
  const info = await stat(onnxPath);
  const plan = await planModel(onnxPath, 'model.onnx', { mtimeMs: info.mtimeMs, size: info.size });
  const session = await ort.InferenceSession.create(onnxPath);
  const run: RunTensors = async (feeds, fetches) => {
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const k in feeds) ortFeeds[k] = new ort.Tensor(feeds[k]!.type, feeds[k]!.data as never, feeds[k]!.dims);
    const result = await session.run(ortFeeds, fetches);
    const out: Record<string, WireTensor> = {};
    for (const name of fetches) {
      const t = result[name] as ort.Tensor;
      out[name] = { type: t.type as WireTensor['type'], dims: [...t.dims], data: t.data as WireTensor['data'] };
    }
    return out;
  };
  const setup: ServeSetup = {
    http: { profile: 'azureml', key: 'k', version: '2.12.2', swagger: '', maxBodyBytes: 1e9, maxConcurrent: 8, maxQueue: 64 },
    mlflowVersion: null,
    context: model.context,
    plan,
    model: { key: 'k', path: onnxPath, mtimeMs: info.mtimeMs, size: info.size, options: {}, rewrite: null },
    setupError: null,
  };
  const ctx = model.context;
  const rowsList = process.argv.slice(2).map(Number);
  for (const rows of rowsList.length ? rowsList : [1, 10_000]) {
    const body = sampleBody(rows);
    const n = rows === 1 ? 20_000 : 60;
    const answer = await answerOnnxRequest(setup, body, 'application/json', run);
    if (answer.status !== 200) throw new Error(`status ${answer.status}: ${answer.body_text.slice(0, 200)}`);
    for (let k = 0; k < n / 4; k++) await answerOnnxRequest(setup, body, 'application/json', run);
    let t0 = performance.now();
    for (let k = 0; k < n; k++) await answerOnnxRequest(setup, body, 'application/json', run);
    const whole = ((performance.now() - t0) / n) * 1000;
    const req = { body, contentType: 'application/json', server: 'azureml' as const, mlflowVersion: null, mlmodelVersion: ctx.mlmodelVersion, requirementsPin: ctx.requirementsPin, signature: ctx.signature, inputExample: ctx.inputExample, isSignatureFromTypeHint: ctx.isSignatureFromTypeHint };
    t0 = performance.now();
    for (let k = 0; k < n; k++) prepareScoreRequest(req);
    const prepare = ((performance.now() - t0) / n) * 1000;
    t0 = performance.now();
    for (let k = 0; k < n; k++) JSON.parse(body);
    const parse = ((performance.now() - t0) / n) * 1000;
    console.log(`rows=${rows}: answerOnnxRequest ${whole.toFixed(1)}µs, prepareScoreRequest ${prepare.toFixed(1)}µs, JSON.parse ${parse.toFixed(1)}µs`);
    // The stages after parsing, each alone (µs per request): where the rest of answerOnnxRequest goes.
    const { outcome, version } = prepareScoreRequest(req);
    const { kind, feeds } = buildFeeds(plan.inputs, outcome.input!, plan.relName);
    const raw = await run(feeds, plan.fetches);
    const prediction = fromOnnxPrediction(assemblePrediction(plan, kind, raw));
    const stage = (f: () => unknown): string => {
      for (let k = 0; k < n / 4; k++) f();
      const s0 = performance.now();
      for (let k = 0; k < n; k++) f();
      return (((performance.now() - s0) / n) * 1000).toFixed(1);
    };
    const stages = {
      parsePyJson: stage(() => parsePyJson(body)),
      buildFeeds: stage(() => buildFeeds(plan.inputs, outcome.input!, plan.relName)),
      // Buffer.from flattens the body text, as the socket write does: a rope would look free otherwise.
      'successAnswer+write': stage(() => Buffer.from(successAnswer('azureml', prediction, { unwrapped: false, version }).body_text)),
    };
    console.log(`rows=${rows}: ${Object.entries(stages).map(([k, v]) => `${k} ${v}µs`).join(', ')}`);
  }
  await session.release();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
