import { ratioLine, type Bench } from './harness';
import { baselineLabel, interleavedP50, sampleBody, withTargets } from './score-support';

/**
 * Issue 4: p50 latency of POST /score with a 1-row body on the diabetes ONNX sample, Preflight's
 * Azure-profile server versus a minimal JSON.parse + session.run + JSON.stringify server (target ≤ 1.3×).
 */
export const score1RowBench: Bench = {
  name: 'score-1row',
  run: () =>
    withTargets(async (ours, base) => {
      const body = sampleBody(1);
      // Six interleaved rounds of 200 requests per side; the median of the rounds' p50s.
      const m = await interleavedP50(ours, base, body, { rounds: 6, n: 200, firstWarmup: 100, warmup: 20 });
      return ratioLine('score-1row', m.ours, m.base, 1.3, { value: 'preflight', baseline: baselineLabel() });
    }),
};
