import type { ColumnSpec, Finding, TensorSpec } from '@shared/mlflow/model-report';
import { finding, listText, Ref, type ReportWithoutFindings } from '../finding';
import { exampleLexemes, lexGet, type Lex } from '../json-lexemes';
import { azureSampleExample } from './example-source';
import { longZeroOneToFloat } from '@shared/mlflow/payload/enforce';
import { mlflowPin, resolveMlflowVersion } from '@shared/mlflow/payload/version';

// ---- what numpy / pandas make of the example (Python json → numpy.asarray / read_json(dtype=False)) ----

/** Leaf kinds of a nested list, flattened. */
function leaves(v: Lex, acc: Lex[] = []): Lex[] {
  if (v.t === 'arr') for (const x of v.items) leaves(x, acc);
  else acc.push(v);
  return acc;
}

/**
 * numpy.asarray's dtype for the example's numbers: int64 or float64, or 'int64|float64' when the lexemes
 * are unknown. Non-numeric content returns null: we only judge numbers, where the rule is certain.
 */
function asarrayDtype(v: Lex): string | null {
  const ls = leaves(v);
  if (ls.length === 0 || ls.some((l) => l.t !== 'int' && l.t !== 'float' && l.t !== 'num')) return null;
  if (ls.some((l) => l.t === 'float')) return 'float64';
  if (ls.some((l) => l.t === 'num')) return 'int64|float64';
  return 'int64';
}

/** pandas dtype of one column read with `read_json(orient='split', dtype=False)`; null when unknowable. */
function pandasDtype(values: Lex[]): string | null {
  const present = values.filter((v) => v.t !== 'null');
  if (present.length === 0) return null;
  const hasNull = present.length !== values.length;
  if (present.every((v) => v.t === 'bool')) return hasNull ? 'object' : 'bool';
  if (present.every((v) => v.t === 'int' || v.t === 'float' || v.t === 'num')) {
    if (present.some((v) => v.t === 'float') || hasNull) return 'float64';
    if (present.some((v) => v.t === 'num')) return null; // `3` may have been `3.0`: stay silent.
    return 'int64';
  }
  return 'object';
}

/**
 * Whether MLflow's in-process check accepts a column of pandas dtype `d` for signature type `t`
 * (payloads.md §2.2 table; Azure runs it after casting to the example's dtypes). `zeroOne`: the served
 * MLflow is 2.16.1 or newer, whose check lets int64 through for float/double when every value is 0 or 1
 * (`longZeroOneToFloat`, docs/fidelity.md); older ones refuse int64 there whatever the values.
 */
function accepts(d: string, t: string, zeroOne: boolean): 'ok' | 'only-0-1' | 'fails' {
  switch (d) {
    case 'bool':
      return t === 'boolean' ? 'ok' : 'fails';
    case 'int64':
      if (t === 'long') return 'ok';
      return zeroOne && (t === 'float' || t === 'double') ? 'only-0-1' : 'fails';
    case 'float64':
      return t === 'double' ? 'ok' : 'fails';
    default: // object
      return t === 'string' || t === 'binary' || t === 'boolean' || t === 'datetime' ? 'ok' : 'fails';
  }
}

const PANDAS_OF: Record<string, string> = {
  boolean: 'bool', integer: 'int32', long: 'int64', float: 'float32', double: 'float64', string: 'object',
  binary: 'object', datetime: 'datetime64[ns]',
};

// ---- the rules ------------------------------------------------------------------------------------------

/**
 * Tensor model + pre-2.16 example (`{"inputs": ...}`, `format: tf-serving`): Azure's sample is
 * `numpy.asarray(example["inputs"])`, i.e. float64/int64, every request is cast to that and MLflow's
 * exact dtype check then rejects it, so every request is a 500 (payloads.md §4 and §4.1 row "Old-format
 * (< 2.16) ndarray example + float32 tensor spec"; §2.4 for the exact dtype check).
 */
function tensorExampleFindings(report: ReportWithoutFindings, tensors: TensorSpec[]): Finding[] {
  const src = azureSampleExample(report);
  if (!src || src.type !== 'ndarray') return [];
  const lex = exampleLexemes(src.example);
  const inputs = lexGet(lex, 'inputs');
  // MLflow ≥ 2.16 writes the bare list; Azure's `loaded_input["inputs"]` then raises and it falls back
  // to the signature, which is right.
  if (!inputs) return [];
  const pairs: { name: string; spec: TensorSpec; value: Lex }[] = [];
  if (inputs.t === 'obj') {
    for (const spec of tensors) {
      const value = lexGet(inputs, spec.name ?? '');
      if (value) pairs.push({ name: spec.name ?? '(unnamed)', spec, value });
    }
  } else if (tensors.length === 1 && tensors[0]) {
    pairs.push({ name: tensors[0].name ?? '(unnamed)', spec: tensors[0], value: inputs });
  }
  const bad = pairs.flatMap(({ name, spec, value }) => {
    const got = asarrayDtype(value);
    if (!got || got.split('|').includes(spec.dtype)) return [];
    return [`\`${name}\` (signature ${spec.dtype}, example gives ${got.replace('|', ' or ')})`];
  });
  if (bad.length === 0) return [];
  return [
    finding({
      code: 'tensor-example-pre-2-16',
      severity: 'error',
      title: 'Old-format input example: every Azure request will fail',
      evidence: `${src.example.file} is the pre-2.16 \`{"inputs": ...}\` form. Azure builds its parser from it with numpy's default dtypes, casts every request to them, and MLflow then rejects the dtype for ${listText(bad)}; Azure answers 500 "An unexpected error occurred in scoring script".`,
      fix: `Delete the \`saved_input_example_info:\` block from MLmodel (keep ${src.example.file} if you like) so Azure builds its parser from the tensor signature, or re-log the model with MLflow ≥ 2.16 which writes the bare-list example.`,
      file: report.mlmodel?.file ?? 'MLmodel',
      reference: Ref.azureSideBySide,
    }),
  ];
}

/**
 * Column model + DataFrame example: Azure reads the example with `read_json(dtype=False)` and casts every
 * request to THOSE dtypes, not the signature's (payloads.md §4 "The example, not the signature, then sets
 * the dtypes"); MLflow's check (§2.2) then runs on the result, and columns of the request missing from
 * the sample become `object`.
 */
function columnExampleFindings(report: ReportWithoutFindings, columns: ColumnSpec[]): Finding[] {
  const src = azureSampleExample(report);
  if (!src || src.type !== 'dataframe') return [];
  const lex = exampleLexemes(src.example);
  const cols = lexGet(lex, 'columns');
  const data = lexGet(lex, 'data');
  const names = (src.example.content as { columns?: unknown }).columns;
  // A1 reads `values` orient when there is no `columns`; column names are then 0..n-1 and cannot be
  // matched to a named signature, so we only judge the split form.
  if (!cols || cols.t !== 'arr' || !data || data.t !== 'arr' || !Array.isArray(names)) return [];
  const rows = data.items.filter((r): r is Extract<Lex, { t: 'arr' }> => r.t === 'arr');
  // The version the payload engine emulates for this model (the same resolution as predict/serve/validate).
  const served = resolveMlflowVersion(report.mlmodel?.mlflowVersion ?? null, mlflowPin(report.environment.dependencies));
  const zeroOne = longZeroOneToFloat(served);
  const problems: string[] = [];
  for (const col of columns) {
    if (!col.name || !(col.type.type in PANDAS_OF)) continue;
    const idx = names.findIndex((n) => String(n) === col.name);
    const want = PANDAS_OF[col.type.type] ?? '?';
    if (idx < 0) {
      if (col.type.type !== 'string' && col.type.type !== 'binary') {
        problems.push(`\`${col.name}\` (${col.type.type}) is not in the example, so it arrives as object and MLflow rejects it`);
      }
      continue;
    }
    const got = pandasDtype(rows.map((r) => r.items[idx] ?? { t: 'null' }));
    if (!got || got === want) continue;
    const verdict = accepts(got, col.type.type, zeroOne);
    if (verdict === 'ok') continue;
    const consequence = verdict === 'only-0-1'
      ? `requests are cast to int64 (1.5 → 1, 0.7 → 0) and MLflow ${served.version} rejects the column unless every value is then 0 or 1`
      : got === 'int64'
        ? `requests are cast to int64 (1.5 → 1) and MLflow ${served.version} rejects int64 for a ${col.type.type} column`
        : `requests are cast to ${got} and MLflow rejects it for a ${col.type.type} column`;
    problems.push(`\`${col.name}\`: signature ${col.type.type} (${want}), example gives ${got}: ${consequence}`);
  }
  if (problems.length === 0) return [];
  return [
    finding({
      code: 'input-example-overrides-signature',
      // Every mismatch we report makes MLflow's check (§2.2) refuse ordinary requests, hence an error.
      severity: 'error',
      title: "The input example's dtypes override the signature on Azure",
      evidence: `Azure types requests from ${src.example.file}, not from the signature: ${problems.join('; ')}. Azure answers such requests with a 500 and the reason appears only in the container log.`,
      fix: `Rewrite ${src.example.file} so each column has the signature's type (write doubles as \`1.0\`, not \`1\`; strings quoted), e.g. re-log with \`input_example=X.astype(<signature dtypes>)\`, or delete the \`saved_input_example_info:\` block from MLmodel so Azure uses the signature.`,
      file: src.example.file,
      reference: Ref.azure,
    }),
  ];
}

export function inputExampleRule(report: ReportWithoutFindings): Finding[] {
  const inputs = report.signature?.inputs;
  if (!inputs || report.kind !== 'mlflow-folder') return [];
  return inputs.kind === 'tensors' ? tensorExampleFindings(report, inputs.tensors) : columnExampleFindings(report, inputs.columns);
}
