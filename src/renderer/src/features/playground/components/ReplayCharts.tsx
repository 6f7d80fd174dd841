import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { ReplaySummaryData } from '@shared/ipc/replay-contract';
import { maxOf } from '@shared/arrays';

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

/** Target colours that stay apart in both themes (blue, amber, purple, green, red). */
const SERIES = ['var(--accent)', 'var(--warning)', 'var(--syn-keyword)', 'var(--ok)', 'var(--error)'];

/** Milliseconds with as many decimals as the bins need to tell their edges apart (at most 3). */
export function msFormatter(binWidth: number): (v: number) => string {
  const decimals = binWidth > 0 ? Math.min(3, Math.max(0, Math.ceil(-Math.log10(binWidth)))) : 1;
  return (v) => v.toFixed(decimals);
}
const fmtMs = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toPrecision(2));

/** Whole-number ticks for a count axis: 0, the middle when it is a whole number apart, the maximum; no repeats. */
export function countTicks(max: number): number[] {
  return [...new Set([0, max >= 4 ? Math.round(max / 2) : max >= 2 ? 1 : 0, max])];
}

/** The element's width in CSS pixels, followed as the window resizes (so the chart's text is drawn at real size). */
function useWidth(fallback: number): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth || fallback);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth || fallback));
    ro.observe(el);
    return () => ro.disconnect();
  }, [fallback]);
  return [ref, width];
}

export function LatencyHistogram({ targets }: { targets: ReplaySummaryData['targets'] }) {
  // The replay counts every target over the same bins; the last may be wider (the slow tail).
  const shown = targets.filter((t) => t.latency.count > 0);
  const edges = shown[0]?.latency.histogram.edges ?? [];
  const counts = shown.map((t) => t.latency.histogram.counts);
  const [box, measured] = useWidth(600);
  if (edges.length < 2) return <p className="muted small">No latencies: no target answered.</p>;
  // Drawn at the box's real width: the axis text keeps its size instead of shrinking with the chart.
  const W = Math.max(280, measured);
  const H = 190;
  const left = 40;
  const right = 16;
  const top = 10;
  const bottom = 40;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const max = maxOf(counts.flat(), 1);
  const bins = edges.length - 1;
  const groupW = plotW / bins;
  const barW = Math.max(1, (groupW * 0.8) / shown.length);
  const labelEvery = Math.ceil(bins / Math.max(2, Math.floor(plotW / 56)));
  const edgeLabel = msFormatter((edges[edges.length - 1]! - edges[0]!) / bins);
  return (
    <figure className="pg-chart" data-testid="latency-histogram">
      <figcaption>Request latency — how many requests took how long</figcaption>
      <div ref={box} className="pg-histogram-box">
        <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Latency histogram per target" className="pg-histogram">
          <line x1={left} y1={top + plotH} x2={left + plotW} y2={top + plotH} stroke="var(--border-strong)" />
          <line x1={left} y1={top} x2={left} y2={top + plotH} stroke="var(--border-strong)" />
          {countTicks(max).map((v) => (
            <text key={v} x={left - 6} y={top + plotH - (v / max) * plotH + 4} textAnchor="end" className="pg-axis">
              {v}
            </text>
          ))}
          <text x={12} y={top + plotH / 2} textAnchor="middle" className="pg-axis" transform={`rotate(-90 12 ${top + plotH / 2})`}>
            requests
          </text>
          {counts.map((series, s) =>
            series.map((c, i) => {
              const h = (c / max) * plotH;
              return (
                <rect key={`${s}-${i}`} data-series={s} x={left + i * groupW + groupW * 0.1 + s * barW} y={top + plotH - h} width={barW} height={h} fill={SERIES[s % SERIES.length]}>
                  <title>{`${shown[s]!.name}: ${c} request${c === 1 ? '' : 's'} from ${fmtMs(edges[i]!)} to ${fmtMs(edges[i + 1]!)} ms`}</title>
                </rect>
              );
            }),
          )}
          {edges.map((e, i) =>
            i % labelEvery === 0 || i === bins ? (
              <text key={i} x={left + i * groupW} y={top + plotH + 16} textAnchor={i === 0 ? 'start' : i === bins ? 'end' : 'middle'} className="pg-axis" data-testid="histogram-x-label">
                {edgeLabel(e)}
              </text>
            ) : null,
          )}
          <text x={left + plotW / 2} y={H - 4} textAnchor="middle" className="pg-axis">
            latency (ms)
          </text>
        </svg>
      </div>
      <ul className="pg-legend small">
        {shown.map((t, s) => (
          <li key={t.name}>
            <span className="pg-swatch" style={{ background: SERIES[s % SERIES.length] }} /> {t.name}: p50 {t.latency.p50 === null ? '–' : fmtMs(t.latency.p50)} ms · p95{' '}
            {t.latency.p95 === null ? '–' : fmtMs(t.latency.p95)} ms · {t.latency.count} request{t.latency.count === 1 ? '' : 's'}
          </li>
        ))}
      </ul>
    </figure>
  );
}
