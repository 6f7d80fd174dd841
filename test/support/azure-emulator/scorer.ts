import type { RunnerService } from '../../../src/main/services/runner/runner-service';
import type { Scorer } from './emulator';

/** Scoring through Preflight's own runner on the Azure ML profile: the emulator's deployments answer as `predict` does. */
export const runnerScorer =
  (runner: RunnerService): Scorer =>
  async (modelDir, body, contentType) => {
    const r = await runner.predict({ modelPath: modelDir, body, contentType, server: 'azureml' });
    if (r.status === 0) return { status: 502, headers: { 'content-type': 'text/plain; charset=utf-8' }, body_text: `The deployment's inference server did not start: ${r.server_log ?? 'unknown reason'}` };
    return { status: r.status, headers: r.headers, body_text: r.body_text, server_log: r.server_log };
  };
