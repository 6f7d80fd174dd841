import { ratioLine, type Bench } from './harness';
import { baselineLabel, p50, sampleBody, withTargets } from './score-support';

/**
 * Issue 4: p50 latency of POST /score with a 1-row body on the diabetes ONNX sample, Preflight's
 * Azure-profile server versus a minimal JSON.parse + session.run + JSON.stringify server (target ≤ 1.3×).
 */
export const score1RowBench: Bench = {
  name: 'score-1row',
  run: () =>
    withTargets(async (ours, base) => {
      const body = sampleBody(1);
      // Alternate the two so neither gets a warmer machine; the p50 of each is taken over 400 requests.
      const a1 = await p50(ours, body, 200, 100);
      const b1 = await p50(base, body, 200, 100);
      const a2 = await p50(ours, body, 200, 20);
      const b2 = await p50(base, body, 200, 20);
      return ratioLine('score-1row', (a1 + a2) / 2, (b1 + b2) / 2, 1.3, { value: 'preflight', baseline: baselineLabel() });
    }),
};
