import { ratioLine, type Bench } from './harness';
import { baselineLabel, p50, sampleBody, withTargets } from './score-support';

/** Issue 4: p50 latency of POST /score with a 10 000-row body, same comparison as score-1row (target ≤ 1.15×). */
export const score10kBench: Bench = {
  name: 'score-10k',
  run: () =>
    withTargets(async (ours, base) => {
      const body = sampleBody(10_000);
      // Four interleaved rounds (ours, base, base, ours, …) of 30 requests each: p50 per round, then the
      // median of the rounds, so a burst of load from elsewhere on the machine hits both sides alike.
      const ours50: number[] = [];
      const base50: number[] = [];
      for (let round = 0; round < 4; round++) {
        const warm = round === 0 ? 5 : 2;
        if (round % 2 === 0) {
          ours50.push(await p50(ours, body, 30, warm));
          base50.push(await p50(base, body, 30, warm));
        } else {
          base50.push(await p50(base, body, 30, warm));
          ours50.push(await p50(ours, body, 30, warm));
        }
      }
      const median = (xs: number[]): number => {
        const s = [...xs].sort((a, b) => a - b);
        return (s[1]! + s[2]!) / 2;
      };
      return ratioLine('score-10k', median(ours50), median(base50), 1.15, { value: 'preflight', baseline: baselineLabel() });
    }),
};
