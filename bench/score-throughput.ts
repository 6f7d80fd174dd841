import type { Bench, BenchResult } from './harness';
import { median } from './harness';
import { baselineLabel, sampleBody, startBaseline, throughput, withTargets, type Target } from './score-support';

/**
 * Issue 4 / 11: requests/s with 8 concurrent keep-alive clients (1-row bodies), Preflight's Azure-profile
 * server versus the minimal server (target ≥ 0.9×, issue 11; was 0.8× in issue 4).
 *
 * Measured in ROUNDS rounds of one WINDOW_MS window per server, the servers' order rotating each round;
 * the ratio is the median of the rounds' ratios (each round's windows are adjacent, so a burst of load
 * from elsewhere, or the machine's own drift, hits both sides of a round alike). Why not two long halves
 * per side, as before: on this 2-core machine the minimal server's rate drifts between 10k and 16k req/s
 * from one second to the next (measured with 1-s windows, one server alone), so two 5-s halves per side
 * gave ratios from 0.71 to 0.89 on the same code a few minutes apart. The ratio of the summed rates is
 * printed too.
 *
 * A third server is measured in the same rounds, not as a target: the minimal server plus what an Azure ML
 * endpoint's answer carries for any model (the key checked, Azure's five response headers;
 * baseline-http.ts). Its ratio to the minimal server is what the Azure contract alone costs a server and
 * its client; Preflight's ratio to it is what Preflight's own work (checks, MLflow's rules, output
 * serializers) costs.
 */
const ROUNDS = Number(process.env.PREFLIGHT_BENCH_ROUNDS ?? 10);
const WINDOW_MS = 1000;
/** Issue 11: ≥ 0.9× the minimal server's throughput. */
const TARGET = 0.9;
/**
 * Unmeasured load per server before the rounds (default 3 s; PREFLIGHT_BENCH_WARMUP_MS overrides it), for
 * every server alike: the target is steady-state throughput, and Preflight's request path is far more
 * code than the baseline's, so its JIT needs 2–3 s of load to settle (1-s windows from a cold start read
 * 4.4k, 7.0k, 8.5k, then 8.4–9.8k req/s; bench/profile-throughput.ts with PREFLIGHT_BENCH_WINDOWS).
 */
const WARMUP_MS = Number(process.env.PREFLIGHT_BENCH_WARMUP_MS ?? 3000);

interface Side {
  name: string;
  t: Target;
  rates: number[];
}

export const scoreThroughputBench: Bench = {
  name: 'score-throughput',
  run: () =>
    withTargets(async (ours, base): Promise<BenchResult> => {
      const withHeaders = await startBaseline({ azureHeaders: true });
      try {
        const body = sampleBody(1);
        const sides: Side[] = [
          { name: 'preflight', t: ours, rates: [] },
          { name: 'minimal', t: base, rates: [] },
          { name: 'minimal+azure-headers', t: withHeaders, rates: [] },
        ];
        // Warmed in turns of one window each, like the rounds: a server left idle longer than its keep-alive
        // timeout (5 s) closes the client's pooled connections, and a request may race that close.
        for (let w = 0; w < Math.ceil(WARMUP_MS / WINDOW_MS); w++) for (const s of sides) await throughput(s.t, body, 8, WINDOW_MS);
        for (let r = 0; r < ROUNDS; r++) {
          for (let k = 0; k < sides.length; k++) {
            const s = sides[(k + r) % sides.length]!;
            s.rates.push(await throughput(s.t, body, 8, WINDOW_MS, process.env.PREFLIGHT_BENCH_CPU === '1' ? `${s.name} round ${r + 1}` : undefined));
          }
        }
        const [p, m, h] = sides.map((s) => s.rates) as [number[], number[], number[]];
        const perRound = (a: number[], b: number[]): number => median(a.map((x, i) => x / b[i]!));
        const sum = (a: number[]): number => a.reduce((x, y) => x + y, 0);
        const ratio = perRound(p, m);
        const pass = Number.isFinite(ratio) && ratio >= TARGET;
        const line =
          `score-throughput: ratio ${ratio.toFixed(2)} (target ≥ ${TARGET}; median of ${ROUNDS} rounds' ratios, summed rates ${(sum(p) / sum(m)).toFixed(2)}) ` +
          `preflight=${median(p).toFixed(0)}req/s ${baselineLabel()}=${median(m).toFixed(0)}req/s (8 clients, ${ROUNDS}×${WINDOW_MS / 1000}s each); ` +
          `informational: minimal+azure-headers=${median(h).toFixed(0)}req/s = ${perRound(h, m).toFixed(2)}× minimal, preflight = ${perRound(p, h).toFixed(2)}× it; ` +
          `rounds' ratios [${p.map((x, i) => (x / m[i]!).toFixed(2)).join(' ')}] ${pass ? 'PASS' : 'FAIL'}`;
        console.log(line);
        return { name: 'score-throughput', ratio, target: TARGET, pass, line };
      } finally {
        await withHeaders.close();
      }
    }),
};
