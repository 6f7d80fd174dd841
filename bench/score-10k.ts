import { ratioLine, type Bench } from './harness';
import { baselineLabel, p50, sampleBody, withTargets } from './score-support';

/** Issue 4: p50 latency of POST /score with a 10 000-row body, same comparison as score-1row (target ≤ 1.15×). */
export const score10kBench: Bench = {
  name: 'score-10k',
  run: () =>
    withTargets(async (ours, base) => {
      const body = sampleBody(10_000);
      const a1 = await p50(ours, body, 15, 5);
      const b1 = await p50(base, body, 15, 5);
      const a2 = await p50(ours, body, 15, 2);
      const b2 = await p50(base, body, 15, 2);
      return ratioLine('score-10k', (a1 + a2) / 2, (b1 + b2) / 2, 1.15, { value: 'preflight', baseline: baselineLabel() });
    }),
};
