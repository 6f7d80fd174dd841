/**
 * How one ONNX file is run: its inputs as MLflow's wrapper records them, the outputs Python would
 * return, what onnxruntime-node is asked to fetch, and — for ZipMap outputs, which onnxruntime-node
 * cannot return ("Non tensor type is temporarily not supported.") — how the model is rewritten so the
 * ZipMap's input tensor becomes an extra graph output the maps are rebuilt from.
 */
import { inspectOnnx } from '../../model/onnx/inspect-onnx';
import { elemTypeCode } from '../../model/onnx/onnx-types';
import type { OnnxType } from '@shared/mlflow/model-report';
import type { GraphInput } from './feeds';
import { readNodeAttributes, scanGraph, type ExtraOutput, type GraphScan, type ScannedNode } from './graph-scan';

export type PlannedOutput =
  | { name: string; kind: 'tensor'; type: string }
  /** A ZipMap output: rebuilt from the float tensor `source` ([N, C] class scores) and the class labels. */
  | { name: string; kind: 'zipmap'; type: string; source: string; keyType: 'int64' | 'string'; keys: bigint[] | string[] }
  /** A non-tensor output Preflight cannot rebuild. Predicting fails with an error naming it. */
  | { name: string; kind: 'unsupported'; type: string };

export interface ModelPlan {
  path: string;
  relName: string;
  mtimeMs: number;
  size: number;
  inputs: GraphInput[];
  outputs: PlannedOutput[];
  /** Names passed to `session.run(feeds, fetches)`: tensor outputs and ZipMap sources. */
  fetches: string[];
  /** Set when ZipMap sources must be added as graph outputs before the session is created. */
  rewrite: { graph: GraphScan['graph']; extra: ExtraOutput[] } | null;
}

/** onnxruntime's `NodeArg.type` spelling: `tensor(float)`, `seq(map(int64,tensor(float)))`. */
export function ortTypeString(t: OnnxType | null): string {
  if (t === null) return 'unknown';
  switch (t.kind) {
    case 'tensor':
      return `tensor(${t.elemType})`;
    case 'sparse_tensor':
      return `sparse_tensor(${t.elemType})`;
    case 'sequence':
      return `seq(${ortTypeString(t.elem)})`;
    case 'map':
      return `map(${t.keyType},${ortTypeString(t.value)})`;
    case 'optional':
      return `optional(${ortTypeString(t.elem)})`;
    case 'unknown':
      // onnxruntime treats an output without a type as a float tensor (fixtures README point 3).
      return 'tensor(float)';
  }
}

const isTensorLike = (t: OnnxType): boolean => t.kind === 'tensor' || t.kind === 'unknown';

export async function planModel(path: string, relName: string, stat: { mtimeMs: number; size: number }): Promise<ModelPlan> {
  const summary = await inspectOnnx(path, relName);
  const inputs: GraphInput[] = summary.inputs.map((i) => ({
    name: i.name,
    type: ortTypeString(i.type),
    elemType: i.type.kind === 'tensor' ? i.type.elemType : null,
  }));
  const outputs: PlannedOutput[] = [];
  const fetches: string[] = [];
  const extra: ExtraOutput[] = [];
  const graphOutputNames = new Set(summary.outputs.map((o) => o.name));
  let scan: GraphScan | null = null;
  for (const o of summary.outputs) {
    const type = ortTypeString(o.type);
    if (isTensorLike(o.type)) {
      outputs.push({ name: o.name, kind: 'tensor', type });
      fetches.push(o.name);
      continue;
    }
    scan ??= await scanGraph(path, relName);
    const zipmap = findZipMap(scan.nodes, o.name);
    if (!zipmap) {
      outputs.push({ name: o.name, kind: 'unsupported', type });
      continue;
    }
    const attrs = await readNodeAttributes(path, zipmap);
    const ints = attrs.get('classlabels_int64s');
    const strs = attrs.get('classlabels_strings');
    const source = zipmap.inputs[0];
    if (source === undefined || (ints?.kind !== 'ints' && strs?.kind !== 'strings')) {
      outputs.push({ name: o.name, kind: 'unsupported', type });
      continue;
    }
    outputs.push(
      strs?.kind === 'strings'
        ? { name: o.name, kind: 'zipmap', type, source, keyType: 'string', keys: strs.value }
        : { name: o.name, kind: 'zipmap', type, source, keyType: 'int64', keys: (ints as { value: bigint[] }).value },
    );
    if (!fetches.includes(source)) fetches.push(source);
    if (!graphOutputNames.has(source) && !extra.some((e) => e.name === source)) extra.push({ name: source, elemTypeCode: elemTypeCode('float') });
  }
  return {
    path,
    relName,
    mtimeMs: stat.mtimeMs,
    size: stat.size,
    inputs,
    outputs,
    fetches,
    rewrite: extra.length > 0 && scan ? { graph: scan.graph, extra } : null,
  };
}

/** The ZipMap node producing `name`, looking through Identity nodes (converters sometimes add one). */
function findZipMap(nodes: readonly ScannedNode[], name: string): ScannedNode | null {
  let target = name;
  for (let hop = 0; hop < 16; hop++) {
    const producer = nodes.find((n) => n.outputs.includes(target));
    if (!producer) return null;
    const ml = producer.domain === 'ai.onnx.ml';
    if (ml && producer.opType === 'ZipMap') return producer;
    if ((producer.domain === '' || producer.domain === 'ai.onnx') && producer.opType === 'Identity' && producer.inputs[0]) {
      target = producer.inputs[0];
      continue;
    }
    return null;
  }
  return null;
}
