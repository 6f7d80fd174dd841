/**
 * The Python worker's frame rebuilding (`decode_input` in resources/python/preflight_worker.py), run in the
 * real interpreter on wire inputs the app sends: the one-block build of an all-float64 frame must give the
 * same DataFrame as the per-column build (dtypes, labels, values, index), a frame whose dtypes differ keeps
 * each column's dtype, and the labels reused from the previous request never leak a model's changes.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { sklearnSkipReason, SYSTEM_PYTHON, workerScript } from '../support/sklearn-models';

/** Imports the worker as a module (its stdout becomes stderr then) and prints the script's JSON result last. */
function runWithWorker(body: string): unknown {
  const script = [
    'import importlib.util, json, sys',
    'import numpy as np, pandas as pd',
    `spec = importlib.util.spec_from_file_location("preflight_worker", ${JSON.stringify(workerScript)})`,
    'w = importlib.util.module_from_spec(spec)',
    'spec.loader.exec_module(w)',
    'def f64(*values):',
    '    return bytearray(np.array(values, dtype="<f8").tobytes())',
    'def describe(df):',
    '    return {"columns": [repr(c) for c in df.columns], "columns_dtype": str(df.columns.dtype), "columns_name": df.columns.name,',
    '            "dtypes": [str(d) for d in df.dtypes], "index": repr(df.index), "values": [[repr(v) for v in row] for row in df.itertuples(index=False)], "blocks": df._mgr.nblocks}',
    'out = {}',
    body,
    'sys.stderr.write("\\n" + json.dumps(out) + "\\n")',
  ].join('\n');
  const r = spawnSync(SYSTEM_PYTHON, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stderr.trim().split('\n').pop()!);
}

describe.skipIf(sklearnSkipReason !== null)('Python worker: rebuilding the DataFrame (decode_input)', () => {
  it('builds an all-float64 frame as one block, equal to the per-column build in labels, dtypes, values and index', () => {
    const out = runWithWorker([
      'cols = lambda: [{"name": "a", "dtype": "float64", "values": {"$f64": 0}}, {"name": "b", "dtype": "float64", "values": {"$f64": 24}}]',
      'blob = f64(1.5, -0.0, float("nan"), 2.0, 1e300, float("-inf"))',
      'block = w.decode_input({"kind": "dataframe", "nrows": 3, "columns": cols()}, blob)',
      'lists = w.decode_input({"kind": "dataframe", "nrows": 3, "columns": [',
      '    {"name": "a", "dtype": "float64", "values": [1.5, {"$": "float", "v": "-0.0"}, {"$": "float", "v": "NaN"}]},',
      '    {"name": "b", "dtype": "float64", "values": [2.0, 1e300, {"$": "float", "v": "-Infinity"}]}]})',
      'out["block"] = describe(block)',
      'out["lists"] = describe(lists)',
      'out["equal"] = bool(block.equals(lists))',
      'out["again"] = describe(w.decode_input({"kind": "dataframe", "nrows": 3, "columns": cols()}, blob))',
      'out["writable"] = bool(block.to_numpy().flags.writeable)',
    ].join('\n')) as Record<string, { columns: string[]; dtypes: string[]; blocks: number }> & { equal: boolean; writable: boolean };
    expect(out.block).toMatchObject({ columns: ["'a'", "'b'"], dtypes: ['float64', 'float64'], index: 'RangeIndex(start=0, stop=3, step=1)', blocks: 1 });
    expect(out.block).toMatchObject({ values: [['1.5', '2.0'], ['-0.0', '1e+300'], ['nan', '-inf']] });
    expect({ ...out.lists, blocks: 1 }).toEqual(out.block);
    expect(out.again).toEqual(out.block);
    expect(out.equal).toBe(true);
    expect(out.writable).toBe(true);
  });

  it('keeps each column\'s dtype when they differ (float64 doubles in the blob beside int64 and object columns)', () => {
    const out = runWithWorker([
      'df = w.decode_input({"kind": "dataframe", "nrows": 2, "columns": [',
      '    {"name": "x", "dtype": "float64", "values": {"$f64": 0}},',
      '    {"name": "n", "dtype": "int64", "values": [1, {"$": "int", "v": "9007199254740993"}]},',
      '    {"name": "y", "dtype": "float64", "values": {"$f64": 16}},',
      '    {"name": "s", "dtype": "object", "values": ["p", None]}]}, f64(0.1, 2.0, 3.0, 4.5))',
      'out["df"] = describe(df)',
      // float64 columns whose doubles are not one after another in the blob: per column, each from its offset.
      'swapped = w.decode_input({"kind": "dataframe", "nrows": 2, "columns": [',
      '    {"name": "x", "dtype": "float64", "values": {"$f64": 16}}, {"name": "y", "dtype": "float64", "values": {"$f64": 0}}]}, f64(0.1, 2.0, 3.0, 4.5))',
      'out["swapped"] = describe(swapped)',
    ].join('\n')) as { df: unknown; swapped: unknown };
    expect(out.df).toMatchObject({
      columns: ["'x'", "'n'", "'y'", "'s'"],
      dtypes: ['float64', 'int64', 'float64', 'object'],
      values: [['0.1', '1', '3.0', "'p'"], ['2.0', '9007199254740993', '4.5', 'None']],
    });
    expect(out.swapped).toMatchObject({ dtypes: ['float64', 'float64'], values: [['3.0', '0.1'], ['4.5', '2.0']] });
  });

  it('reuses the previous request\'s labels only when they are the same strings, and never a model\'s changes to them', () => {
    const out = runWithWorker([
      'blob = f64(1.0, 2.0)',
      'frame = lambda *names: {"kind": "dataframe", "nrows": 1, "columns": [{"name": n, "dtype": "float64", "values": {"$f64": 8 * k}} for k, n in enumerate(names)]}',
      'first = w.decode_input(frame("a", "b"), blob)',
      // A model that renames its input in place: the name, and the values pandas lets it write.
      'first.columns.name = "renamed"',
      'try:',
      '    first.columns.values[0] = "zzz"',
      'except Exception:',
      '    pass',
      'out["second"] = describe(w.decode_input(frame("a", "b"), blob))',
      'out["ints"] = describe(w.decode_input(frame(1, 2), blob))',
      'out["strs"] = describe(w.decode_input(frame("1", "2"), blob))',
      'out["floats"] = describe(w.decode_input(frame({"$": "float", "v": 1}, {"$": "float", "v": 2}), blob))',
      'out["dupes"] = describe(w.decode_input(frame("a", "a"), blob))',
      'out["dupes_again"] = describe(w.decode_input(frame("a", "a"), blob))',
    ].join('\n')) as Record<string, { columns: string[]; columns_dtype: string; columns_name: string | null }>;
    expect(out.second).toMatchObject({ columns: ["'a'", "'b'"], columns_name: null });
    expect(out.ints).toMatchObject({ columns: ['1', '2'], columns_dtype: 'int64' });
    expect(out.strs).toMatchObject({ columns: ["'1'", "'2'"], columns_dtype: 'object' });
    expect(out.floats).toMatchObject({ columns: ['1.0', '2.0'], columns_dtype: 'float64' });
    expect(out.dupes).toMatchObject({ columns: ["'a'", "'a'"] });
    expect(out.dupes_again).toEqual(out.dupes);
  });
});
