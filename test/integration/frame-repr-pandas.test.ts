/**
 * `frameStr` (2.12's "Failed to predict data '<str(DataFrame)>'") against the real pandas 1.5 of the MLflow
 * servers' machine (Debian's python3-pandas): random `dataframe_split` bodies — flat or nested (MultiIndex)
 * labels of mixed types, row labels — flat, or a list of lists (a row MultiIndex of one to three levels) —, 0–70 rows, up to 12 columns (now and then 300–2 300) of floats, ints, bools and strings of any
 * width — go through the engine's own parse (`frameFromSplit`) and printout, and through
 * `str(pd.DataFrame(index=, columns=, data=))` with the display options a scoring server has (no terminal:
 * stdout is a pipe, COLUMNS unset). Every text must be identical.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { frameFromSplit } from '@shared/mlflow/payload/frame';
import { frameStr } from '@shared/mlflow/payload/frame-repr';
import { isPyDict, parsePyJson } from '@shared/mlflow/payload/py-json';
import { prng } from '../support/corrupt-files';
import { SYSTEM_PYTHON, sklearnSkipReason } from '../support/sklearn-models';

const LABELS = ['"x"', '"age"', '"a b"', '""', '0', '1', '-3', '12', '2.5', '-0.0', 'true', 'false', 'null', '"\\u00e9"', '"long label name"', '"wwwwwwwwwwwwwwwwwwww"'];

function body(r: () => number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  // now and then a wide frame (hundreds to thousands of columns): the fitting drops a whole middle block
  const ncols = r() < 0.05 ? 300 + Math.floor(r() * 2000) : 1 + Math.floor(r() * 12);
  const nrows = r() < 0.15 ? 61 + Math.floor(r() * 10) : Math.floor(r() * 6);
  const kinds = Array.from({ length: ncols }, () => pick(['float', 'float', 'int', 'bool', 'str', 'longstr']));
  const cell = (k: string): string => {
    if (k === 'float') return r() < 0.1 ? 'NaN' : r() < 0.1 ? '-0.0' : String(Number(((r() - 0.5) * 10 ** Math.floor(r() * 9 - 3)).toPrecision(1 + Math.floor(r() * 8))));
    if (k === 'int') return String(Math.floor((r() - 0.5) * 10 ** Math.floor(r() * 8)));
    if (k === 'bool') return r() < 0.5 ? 'true' : 'false';
    if (k === 'str') return JSON.stringify(pick(['paris', 'tokyo', '', 'são paulo', 'x y']));
    return JSON.stringify('z'.repeat(Math.floor(r() * 70)));
  };
  const data = Array.from({ length: nrows }, () => `[${kinds.map(cell).join(', ')}]`);
  const level = (): string => {
    const same = pick(LABELS);
    return `[${Array.from({ length: ncols }, () => (r() < 0.4 ? same : pick(LABELS))).join(', ')}]`;
  };
  const flat = r() < 0.4;
  const columns = flat
    ? r() < 0.3
      ? `[${Array.from({ length: ncols }, (_, k) => k * (r() < 0.5 ? 1 : 7)).join(', ')}]`
      : `[${Array.from({ length: ncols }, (_, k) => JSON.stringify(`${pick(['c', 'col_', 'a long column name '])}${k}`)).join(', ')}]`
    : `[${Array.from({ length: 2 + Math.floor(r() * 3) }, level).join(', ')}]`;
  const indexKind = r();
  const index =
    indexKind < 0.35
      ? ''
      : indexKind < 0.65
        ? `, "index": [${Array.from({ length: nrows }, (_, k) => (indexKind < 0.45 ? String(k * 3 - 4) : indexKind < 0.53 ? `${k}.5` : indexKind < 0.6 ? JSON.stringify(`r${k}`) : indexKind < 0.64 ? pick(['1', '2.5', '"s"']) : r() < 0.2 ? pick(['[1, "a"]', '[]', '[null, 2.5, true]']) : pick(LABELS))).join(', ')}]`
        : `, "index": ${rowLevels(r, nrows)}`;
  return `{"columns": ${columns}, "data": [${data.join(', ')}]${index}}`;
}

/** A row MultiIndex: one to three levels of labels of one kind each, with runs of repeats (sparsified) and nulls. */
function rowLevels(r: () => number, nrows: number): string {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const level = (): string => {
    const kind = pick(['runs', 'runs', 'mixed', 'int', 'float', 'bool', 'long', 'same']);
    const token = (k: number): string => {
      if (kind === 'int') return String(pick([k, k * 10 - 30, Math.floor((r() - 0.5) * 10 ** Math.floor(r() * 8))]));
      if (kind === 'float') return pick([`${k}.25`, String(Number(((r() - 0.5) * 10 ** Math.floor(r() * 10 - 4)).toPrecision(1 + Math.floor(r() * 6)))), '-0.0']);
      if (kind === 'bool') return pick(['true', 'false']);
      if (kind === 'long') return JSON.stringify(`r${k}-${'w'.repeat(Math.floor(r() * 70))}`);
      return pick(LABELS);
    };
    const nulls = r() < 0.3;
    const out: string[] = [];
    let cur = token(0);
    for (let k = 0; k < nrows; k++) {
      // runs: a label repeats the one above it most of the time
      if (kind === 'same' ? k === 0 : kind !== 'runs' || r() < 0.35) cur = token(k);
      out.push(nulls && r() < 0.25 ? 'null' : cur);
    }
    return `[${out.join(', ')}]`;
  };
  return `[${Array.from({ length: pick([1, 2, 2, 3, 3]) }, level).join(', ')}]`;
}

const PANDAS_STR = `
import json, sys
import pandas as pd
out = []
for line in sys.stdin:
    b = json.loads(line)
    try:
        out.append(str(pd.DataFrame(index=b.get("index"), columns=b["columns"], data=b["data"])))
    except Exception as e:
        out.append("ERROR " + repr(e))
print(json.dumps(out))
`;

describe.skipIf(sklearnSkipReason !== null)("frameStr is pandas 1.5's str(DataFrame) on a scoring server", () => {
  it('prints 400 random frames exactly as pandas does', () => {
    // a seeded generator, so a failure names a body that reproduces (FRAME_REPR_SEED tries others)
    const r = prng(Number(process.env.FRAME_REPR_SEED ?? 20261203));
    const bodies = Array.from({ length: 400 }, () => body(r));
    const env = { ...process.env };
    delete env.COLUMNS;
    const py = spawnSync(SYSTEM_PYTHON, ['-c', PANDAS_STR], { input: bodies.join('\n') + '\n', encoding: 'utf8', env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    expect(py.status, py.stderr).toBe(0);
    const expected = JSON.parse(py.stdout) as string[];
    const mismatches: string[] = [];
    bodies.forEach((b, k) => {
      if (expected[k]!.startsWith('ERROR ')) return;
      const split = parsePyJson(b);
      if (!isPyDict(split)) throw new Error('not a dict');
      const got = frameStr(frameFromSplit(split.get('data')!, split.get('columns'), split.get('index'), '$'));
      if (got !== expected[k]) mismatches.push(`${b}\n--- pandas\n${expected[k]}\n--- frameStr\n${got}`);
    });
    expect(mismatches.slice(0, Number(process.env.FRAME_REPR_SHOW ?? 3)).join('\n\n'), `${mismatches.length} of ${bodies.length} differ`).toBe('');
    // the generator must reach the rules: cut columns, cut rows and nested headers all occur
    expect(expected.filter((s) => / \.\.\. /.test(s)).length).toBeGreaterThan(20);
    expect(expected.filter((s) => /\n\.\.\s/.test(s)).length).toBeGreaterThan(10);
    // row MultiIndexes occur, with sparsified (blank) labels, cut rows and cut columns
    const multi = expected.filter((s, k) => /"index": \[\[/.test(bodies[k]!) && !s.startsWith('ERROR '));
    const stats = { multi: multi.length, sparse: multi.filter((s) => /\n {2,}\S/.test(s)).length, cutRows: multi.filter((s) => /\n\.\.\.? /.test(s)).length, cutCols: multi.filter((s) => / \.\.\. /.test(s)).length };
    console.log(`row MultiIndex frames compared: ${JSON.stringify(stats)}`);
    expect(stats.sparse).toBeGreaterThan(20);
    expect(stats.cutRows).toBeGreaterThan(5);
    expect(stats.cutCols).toBeGreaterThan(20);
  });
});
