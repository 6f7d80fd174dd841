import { ratioLine, type Bench } from './harness';
import { baselineLabel, interleavedP50, sampleBody, withTargets } from './score-support';

/** Issue 4: p50 latency of POST /score with a 10 000-row body, same comparison as score-1row (target ≤ 1.15×). */
export const score10kBench: Bench = {
  name: 'score-10k',
  run: () =>
    withTargets(async (ours, base) => {
      const body = sampleBody(10_000);
      const m = await interleavedP50(ours, base, body, { rounds: 4, n: 30, firstWarmup: 5, warmup: 2 });
      return ratioLine('score-10k', m.ours, m.base, 1.15, { value: 'preflight', baseline: baselineLabel() });
    }),
};
