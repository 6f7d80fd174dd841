import type { CompareResultData } from '@shared/ipc/compare-contract';

const cell = (v: unknown): string => {
  const s = typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v));
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
};

/** The verdict on top: one sentence, then the mismatching rows of each output. */
export function VerdictPanel({ verdict }: { verdict: CompareResultData['verdict'] }) {
  const tone = verdict.agree ? 'ok' : verdict.kind === 'no-predictions' ? 'warning' : 'error';
  return (
    <section className={`callout callout-${tone === 'ok' ? 'info' : tone} pg-verdict pg-verdict-${tone}`} data-testid="verdict" data-kind={verdict.kind} role="status">
      <p className="pg-verdict-sentence" data-testid="verdict-sentence">
        <strong>{verdict.agree ? '✓ Agree' : verdict.kind === 'no-answer' ? '✗ Incomplete' : verdict.kind === 'no-predictions' ? '– Nothing to compare' : '✗ Disagree'}</strong> {verdict.sentence}
      </p>
      {verdict.pairs.flatMap((p) =>
        p.outputs
          .filter((o) => o.mismatchCount > 0)
          .map((o) => (
            <div key={`${p.other}-${o.output}`} className="table-wrap pg-mismatches">
              <table className="table" data-testid="mismatch-table">
                <caption>
                  {p.other} vs {p.reference} — '{o.output}': {o.mismatchCount} of {o.rowsCompared} rows differ
                  {o.mismatches.length < o.mismatchCount ? ` (first ${o.mismatches.length} shown)` : ''}
                </caption>
                <thead>
                  <tr>
                    <th className="num">row</th>
                    <th>{p.reference}</th>
                    <th>{p.other}</th>
                    <th>why</th>
                  </tr>
                </thead>
                <tbody>
                  {o.mismatches.map((m) => (
                    <tr key={m.row} data-testid="mismatch-row" data-row={m.row}>
                      <td className="num">{m.row}</td>
                      <td className="mono">{cell(m.reference)}</td>
                      <td className="mono">{cell(m.other)}</td>
                      <td>{m.why}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )),
      )}
    </section>
  );
}
