/**
 * Tiny benchmark harness: every bench in `bench/` reports one ratio against its own baseline, so the
 * result does not depend on how fast the machine is.
 */

export interface BenchResult {
  name: string;
  ratio: number;
  target: number;
  pass: boolean;
  /** The printed line, e.g. `inspect-onnx: ratio 1.07 (target ≤ 2) 1GiB=3.1ms 1MiB=2.9ms PASS`. */
  line: string;
}

export interface Bench {
  /** The name `bench/run.ts --only <name>` selects. */
  name: string;
  run(): Promise<BenchResult>;
}

/** The median of a list of numbers (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `fn` `warmup` times unmeasured, then `iterations` times; returns the median wall time in ms. */
export async function measure(
  name: string,
  fn: () => unknown,
  { iterations = 20, warmup = 3 }: { iterations?: number; warmup?: number } = {},
): Promise<number> {
  if (iterations < 1) throw new Error(`measure(${name}): iterations must be ≥ 1`);
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

const fmt = (ms: number): string => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/**
 * Prints and returns `<name>: ratio R (target ≤ T) <valueLabel>=Vms <baselineLabel>=Bms PASS|FAIL`,
 * where R = value / baseline.
 */
export function ratioLine(
  name: string,
  value: number,
  baseline: number,
  target: number,
  labels: { value: string; baseline: string; unit?: string } = { value: 'value', baseline: 'baseline' },
  /** false: the caller prints the line (after adding to it). */
  print = true,
): BenchResult {
  const ratio = value / baseline;
  const pass = Number.isFinite(ratio) && ratio <= target;
  const unit = labels.unit ?? 'ms';
  const line = `${name}: ratio ${ratio.toFixed(2)} (target ≤ ${target}) ${labels.value}=${fmt(value)}${unit} ${labels.baseline}=${fmt(baseline)}${unit} ${pass ? 'PASS' : 'FAIL'}`;
  if (print) console.log(line);
  return { name, ratio, target, pass, line };
}
