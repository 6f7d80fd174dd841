import { usePlayground } from '../hooks/playground-store-context';
import { parsePasted, pasteBlock } from '../store/grid';

/**
 * The signature grid mode (issue 10): the request as a table with the signature's columns, rows editable, a block
 * pasted from a spreadsheet or a CSV filling the cells from the one pasted into; Apply writes it to the editor.
 */
export function SignatureGrid() {
  const grid = usePlayground((s) => s.grid);
  const setGrid = usePlayground((s) => s.setGrid);
  const applyGrid = usePlayground((s) => s.applyGrid);
  const closeGrid = usePlayground((s) => s.closeGrid);
  if (!grid) return null;
  const setCell = (r: number, c: number, v: string): void => setGrid({ columns: grid.columns, rows: grid.rows.map((row, i) => (i === r ? row.map((x, j) => (j === c ? v : x)) : row)) });
  return (
    <section className="card pg-grid" data-testid="signature-grid" aria-label="Signature grid">
      <div className="pg-target-row">
        <span className="pg-label">Grid</span>
        <span className="muted small">{grid.rows.length} rows · paste cells copied from a spreadsheet or a CSV into any cell</span>
        <span className="pg-spacer" />
        <button type="button" className="btn btn-small" data-testid="grid-add-row" onClick={() => setGrid({ columns: grid.columns, rows: [...grid.rows, grid.columns.map(() => '')] })}>
          + row
        </button>
        <button type="button" className="btn btn-small btn-primary" data-testid="grid-apply" onClick={() => void applyGrid()}>
          Apply to the editor
        </button>
        <button type="button" className="btn btn-small" data-testid="grid-close" onClick={closeGrid}>
          Close
        </button>
      </div>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th className="num">#</th>
              {grid.columns.map((c) => (
                <th key={c} data-testid="grid-column">
                  {c}
                </th>
              ))}
              <th />
            </tr>
          </thead>
          <tbody>
            {grid.rows.map((row, r) => (
              <tr key={r} data-testid="grid-row">
                <td className="num">{r}</td>
                {row.map((v, c) => (
                  <td key={c}>
                    <input
                      className="input mono pg-grid-cell"
                      aria-label={`row ${r} ${grid.columns[c]}`}
                      value={v}
                      onChange={(e) => setCell(r, c, e.target.value)}
                      onPaste={(e) => {
                        const block = parsePasted(e.clipboardData.getData('text/plain'));
                        // A single value is an ordinary paste into this cell.
                        if (block.length <= 1 && (block[0]?.length ?? 0) <= 1) return;
                        e.preventDefault();
                        setGrid(pasteBlock(grid, r, c, block));
                      }}
                    />
                  </td>
                ))}
                <td>
                  <button type="button" className="btn btn-small" aria-label={`Remove row ${r}`} onClick={() => setGrid({ columns: grid.columns, rows: grid.rows.filter((_, i) => i !== r) })}>
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
