import type { ColumnSpec, Finding, OnnxSummary, OnnxValueInfo, Schema } from '@shared/mlflow/model-report';
import { finding, listText, Ref, type ReportWithoutFindings } from '../finding';

/** numpy dtype of a signature column (payloads.md §2.1 pandas dtypes). */
const COLUMN_NUMPY: Record<string, string> = {
  boolean: 'bool', integer: 'int32', long: 'int64', float: 'float32', double: 'float64', string: 'object',
  binary: 'object', datetime: 'datetime64',
};

/** numpy dtype onnxruntime wants for an ONNX element type. */
const ONNX_NUMPY: Record<string, string> = {
  float: 'float32', double: 'float64', int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64', uint8: 'uint8',
  uint16: 'uint16', uint32: 'uint32', uint64: 'uint64', bool: 'bool', string: 'object', float16: 'float16',
};

const NUMERIC_RANK: Record<string, number> = { bool: 0, int32: 1, int64: 2, float32: 3, float64: 4 };

/** dtype of `df.values` for these columns (numpy's common type; anything non-numeric makes it object). */
function valuesDtype(columns: ColumnSpec[]): string {
  const dts = [...new Set(columns.map((c) => COLUMN_NUMPY[c.type.type] ?? 'object'))];
  if (dts.length === 1) return dts[0] ?? 'object';
  if (dts.some((d) => d === 'object' || d === 'bool' || d === 'datetime64')) return 'object';
  if (dts.includes('float64') || (dts.includes('float32') && dts.some((d) => d.startsWith('int')))) return 'float64';
  return dts.sort((a, b) => (NUMERIC_RANK[b] ?? 0) - (NUMERIC_RANK[a] ?? 0))[0] ?? 'object';
}

/**
 * What onnxruntime receives after MLflow's only cast (float64 → float32 when the graph input is
 * `tensor(float)`, onnx-flavor.md "Before running…"), and whether the graph accepts it.
 */
function dtypeProblem(feed: string, input: OnnxValueInfo): string | null {
  if (input.type.kind !== 'tensor') return `\`${input.name}\` is ${input.display}, which onnxruntime-node cannot feed`;
  const want = ONNX_NUMPY[input.type.elemType];
  if (!want) return null;
  const sent = feed === 'float64' && want === 'float32' ? 'float32' : feed;
  if (sent === want) return null;
  return `\`${input.name}\` wants ${input.display} but MLflow feeds ${feed}${sent !== feed ? ` (cast to ${sent})` : ''}`;
}

function rankProblem(name: string, feedRank: number, input: OnnxValueInfo, fixedDims: (number | null)[] = []): string | null {
  if (input.type.kind !== 'tensor' || input.type.shape === null) return null;
  const shape = input.type.shape;
  if (shape.length !== feedRank) return `\`${name}\` is fed a ${feedRank}-D array but ${input.display} has rank ${shape.length}`;
  for (let i = 0; i < shape.length; i++) {
    const g = shape[i];
    const s = fixedDims[i];
    if (typeof g === 'number' && typeof s === 'number' && g !== s) {
      return `\`${name}\` dimension ${i} is ${s} but ${input.display} fixes it to ${g}`;
    }
  }
  return null;
}

/**
 * Signature vs graph inputs, following `_OnnxModelWrapper.predict` (onnx-flavor.md): a DataFrame feeds
 * `df.values` (2-D) to a single graph input, or `df[name].values` (1-D) to each of several inputs; an
 * ndarray needs exactly one graph input; a dict is used as the feed as is.
 */
function inputProblems(schema: Schema, onnx: OnnxSummary): string[] {
  const graph = onnx.inputs;
  const problems: string[] = [];
  if (graph.length === 0) return problems;
  if (schema.kind === 'columns') {
    const cols = schema.columns;
    if (graph.length === 1 && graph[0]) {
      const input = graph[0];
      const r = rankProblem(input.name, 2, input, [null, cols.length]);
      if (r) problems.push(`${r} (${cols.length} signature columns)`);
      const d = dtypeProblem(valuesDtype(cols), input);
      if (d) problems.push(`${d} (df.values of ${listText([...new Set(cols.map((c) => c.type.type))])} columns)`);
      return problems;
    }
    for (const input of graph) {
      const col = cols.find((c) => c.name === input.name);
      if (!col) {
        problems.push(`graph input \`${input.name}\` has no signature column of that name (MLflow feeds \`df["${input.name}"]\`, a KeyError)`);
        continue;
      }
      const r = rankProblem(input.name, 1, input);
      if (r) problems.push(r);
      const d = dtypeProblem(COLUMN_NUMPY[col.type.type] ?? 'object', input);
      if (d) problems.push(d);
    }
    return problems;
  }
  const tensors = schema.tensors;
  const named = tensors.every((t) => t.name);
  if (!named || tensors.length === 1) {
    if (!named && graph.length !== 1) {
      problems.push(`the unnamed tensor signature makes MLflow pass one ndarray, but the graph has ${graph.length} inputs (${listText(graph.map((g) => `\`${g.name}\``))})`);
      return problems;
    }
  }
  for (const spec of tensors) {
    const input = spec.name ? graph.find((g) => g.name === spec.name) : graph.length === 1 ? graph[0] : undefined;
    if (!input) {
      problems.push(`signature tensor \`${spec.name}\` is not a graph input (graph inputs: ${listText(graph.map((g) => `\`${g.name}\``))})`);
      continue;
    }
    const r = rankProblem(spec.name ?? input.name, spec.shape.length, input, spec.shape.map((d) => (d === -1 ? null : d)));
    if (r) problems.push(r);
    const d = dtypeProblem(spec.dtype, input);
    if (d) problems.push(d);
  }
  if (named) {
    for (const input of graph) {
      if (!tensors.some((t) => t.name === input.name)) problems.push(`graph input \`${input.name}\` is missing from the signature, so requests never feed it`);
    }
  }
  return problems;
}

/** Output names/dtypes: MLflow does not enforce outputs, so a mismatch misleads clients rather than fails. */
function outputProblems(schema: Schema, onnx: OnnxSummary): string[] {
  const graph = onnx.outputs;
  const problems: string[] = [];
  const specs = schema.kind === 'columns'
    ? schema.columns.map((c) => ({ name: c.name, dtype: COLUMN_NUMPY[c.type.type] ?? 'object' }))
    : schema.tensors.map((t) => ({ name: t.name, dtype: t.dtype }));
  for (const spec of specs) {
    if (!spec.name) continue;
    const out = graph.find((g) => g.name === spec.name);
    if (!out) {
      problems.push(`signature output \`${spec.name}\` is not a graph output (graph outputs: ${listText(graph.map((g) => `\`${g.name}\``))})`);
      continue;
    }
    const want = out.type.kind === 'tensor' ? ONNX_NUMPY[out.type.elemType] : undefined;
    if (want && want !== spec.dtype) problems.push(`output \`${spec.name}\` is ${spec.dtype} in the signature but ${out.display} in the graph`);
  }
  return problems;
}

/** The ONNX file the `onnx` flavor loads (`data:`), matched against the inspected summaries. */
function flavorOnnx(report: ReportWithoutFindings): OnnxSummary | null {
  const flavor = report.mlmodel?.flavors.find((f) => f.name === 'onnx');
  if (!flavor) return null;
  const data = typeof flavor.settings['data'] === 'string' ? flavor.settings['data'] : 'model.onnx';
  return report.onnx.find((o) => o.file === data || o.file.endsWith(`/${data}`)) ?? null;
}

export function onnxSignatureRule(report: ReportWithoutFindings): Finding[] {
  const onnx = flavorOnnx(report);
  const sig = report.signature;
  if (!onnx || !sig) return [];
  const out: Finding[] = [];
  const ins = sig.inputs ? inputProblems(sig.inputs, onnx) : [];
  if (ins.length > 0) {
    out.push(
      finding({
        code: 'onnx-signature-input-mismatch',
        severity: 'error',
        title: 'The signature does not fit the ONNX graph inputs',
        evidence: `${onnx.file}: ${ins.join('; ')}. onnxruntime rejects such feeds, so every request fails after passing signature checks.`,
        fix: 'Re-log the model with a signature inferred from the data the graph takes, e.g. `infer_signature(X.astype("float32"), ...)` with one column per graph feature (single input) or one column per graph input named like it; or re-export the graph with matching input names, types and shapes.',
        file: onnx.file,
        reference: Ref.onnxFlavor,
      }),
    );
  }
  const outs = sig.outputs ? outputProblems(sig.outputs, onnx) : [];
  if (outs.length > 0) {
    out.push(
      finding({
        code: 'onnx-signature-output-mismatch',
        severity: 'warning',
        title: 'The signature outputs do not match the ONNX graph outputs',
        evidence: `${onnx.file}: ${outs.join('; ')}. MLflow returns one column per graph output, named after the graph.`,
        fix: 'Update the `outputs` of MLmodel `signature:` to the graph output names and types (or re-log with `infer_signature(X, model_output)`).',
        file: onnx.file,
        reference: Ref.onnxFlavor,
      }),
    );
  }
  return out;
}
