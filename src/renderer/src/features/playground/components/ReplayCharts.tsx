import type { ReplaySummaryData } from '../../../../../shared/ipc/replay-contract';

/**
 * The replay's two charts, drawn as plain SVG by us (no chart library: nothing to allow in the CSP, ~100 lines):
 * the rows' agreement as one stacked bar, and each target's request latencies as a histogram with grouped bars.
 * Colours come from the theme's CSS variables, so both follow light/dark.
 */

const pct = (k: number, n: number): string => (n === 0 ? '0%' : `${(Math.round((k / n) * 1000) / 10).toString()}%`);

export function AgreementChart({ summary }: { summary: ReplaySummaryData }) {
  const n = summary.rows;
  const parts = [
    { key: 'agree', label: 'agree', value: summary.agreeRows, color: 'var(--ok)' },
    { key: 'differ', label: 'differ', value: summary.differRows, color: 'var(--error)' },
    { key: 'unanswered', label: 'no prediction', value: summary.unansweredRows, color: 'var(--fg-muted)' },
  ];
  const W = 600;
  let x = 0;
  return (
    <figure className="pg-chart" data-testid="agreement-chart" data-rate={summary.agreementRate ?? ''}>
      <figcaption>
        <strong className="pg-rate">{summary.agreementRate === null ? '–' : pct(summary.agreeRows, n)}</strong> of {n} rows agree
      </figcaption>
      <svg viewBox={`0 0 ${W} 28`} role="img" aria-label={`Agreement: ${parts.map((p) => `${p.value} ${p.label}`).join(', ')}`} preserveAspectRatio="none" className="pg-agree-bar">
        <rect x={0} y={0} width={W} height={28} fill="var(--bg-sunken)" />
        {parts.map((p) => {
          const w = n === 0 ? 0 : (p.value / n) * W;
          const r = <rect key={p.key} data-part={p.key} x={x} y={0} width={w} height={28} fill={p.color} />;
          x += w;
          return r;
        })}
      </svg>
      <ul className="pg-legend small">
        {parts.map((p) => (
          <li key={p.key} data-testid={`agreement-${p.key}`}>
            <span className="pg-swatch" style={{ background: p.color }} /> {p.label}: {p.value} ({pct(p.value, n)})
          </li>
        ))}
      </ul>
    </figure>
  );
}

const SERIES = ['var(--accent)', 'var(--warning)', 'var(--info)', 'var(--ok)', 'var(--error)'];

const fmtMs = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(2));

export function LatencyHistogram({ targets }: { targets: ReplaySummaryData['targets'] }) {
  // The replay counts every target over the same bins; the last may be wider (the slow tail).
  const shown = targets.filter((t) => t.latency.count > 0);
  const edges = shown[0]?.latency.histogram.edges ?? [];
  const counts = shown.map((t) => t.latency.histogram.counts);
  if (edges.length < 2) return <p className="muted small">No latencies: no target answered.</p>;
  const W = 600;
  const H = 180;
  const left = 34;
  const bottom = 26;
  const plotW = W - left - 24;
  const plotH = H - bottom - 8;
  const max = Math.max(1, ...counts.flat());
  const bins = edges.length - 1;
  const groupW = plotW / bins;
  const barW = Math.max(1, (groupW * 0.8) / shown.length);
  const labelEvery = Math.ceil(bins / 8);
  return (
    <figure className="pg-chart" data-testid="latency-histogram">
      <figcaption>Request latency (ms) — how many requests took how long</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Latency histogram per target" className="pg-histogram">
        <line x1={left} y1={8 + plotH} x2={left + plotW} y2={8 + plotH} stroke="var(--border-strong)" />
        <line x1={left} y1={8} x2={left} y2={8 + plotH} stroke="var(--border-strong)" />
        {[0, 0.5, 1].map((f) => (
          <text key={f} x={left - 4} y={8 + plotH - f * plotH + 4} textAnchor="end" className="pg-axis">
            {Math.round(f * max)}
          </text>
        ))}
        {counts.map((series, s) =>
          series.map((c, i) => {
            const h = (c / max) * plotH;
            return (
              <rect key={`${s}-${i}`} data-series={s} x={left + i * groupW + groupW * 0.1 + s * barW} y={8 + plotH - h} width={barW} height={h} fill={SERIES[s % SERIES.length]}>
                <title>{`${shown[s]!.name}: ${c} request${c === 1 ? '' : 's'} from ${fmtMs(edges[i]!)} to ${fmtMs(edges[i + 1]!)} ms`}</title>
              </rect>
            );
          }),
        )}
        {edges.map((e, i) =>
          i % labelEvery === 0 || i === bins ? (
            <text key={i} x={left + i * groupW} y={H - 8} textAnchor="middle" className="pg-axis">
              {fmtMs(e)}
            </text>
          ) : null,
        )}
      </svg>
      <ul className="pg-legend small">
        {shown.map((t, s) => (
          <li key={t.name}>
            <span className="pg-swatch" style={{ background: SERIES[s % SERIES.length] }} /> {t.name}: p50 {t.latency.p50 === null ? '–' : fmtMs(t.latency.p50)} ms · p95{' '}
            {t.latency.p95 === null ? '–' : fmtMs(t.latency.p95)} ms · {t.latency.count} requests
          </li>
        ))}
      </ul>
    </figure>
  );
}
