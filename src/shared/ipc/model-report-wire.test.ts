import { describe, expect, it } from 'vitest';
import { heartReport } from '@renderer/features/models/store/test-support';
import type { ModelReport } from '../mlflow/model-report';
import { parseMLmodelText } from '../mlflow/mlmodel';
import { parseSignature } from '../mlflow/signature';
import { decodeModelReport, encodeModelReport, type WireModelReport } from './model-report-wire';
import { wireCodecOf } from './wire-codecs';
import { methodChannel } from './channels';

/** A report whose MLmodel parts come from the real parsers, as ModelService builds them. */
function reportOf(mlmodelText: string): ModelReport {
  const parsed = parseMLmodelText(mlmodelText);
  const signature = parsed.signatureBlock ? parseSignature(parsed.signatureBlock).signature : null;
  return heartReport({ mlmodel: parsed.info, signature });
}

const inputs = '[{"type": "double", "name": "age", "required": true}, {"type": "string", "name": "thal", "required": true}]';
const outputs = '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1]}}]';
const params = '[{"name": "k", "type": "long", "default": 3, "shape": null}]';
const mlmodel = (signature: string) => `flavors:\n  python_function:\n    loader_module: mlflow.sklearn\nmlflow_version: 2.12.2\nsignature:\n${signature}\ncustom_key: 7\n`;

/** Through JSON (browser mode's WebSocket) and structured clone (Electron IPC), as the renderer receives it. */
const overJson = (w: WireModelReport) => decodeModelReport(JSON.parse(JSON.stringify(w)) as WireModelReport);
const overClone = (w: WireModelReport) => decodeModelReport(structuredClone(w));

describe('model report on the wire', () => {
  it('carries each signature string once, and the renderer gets the very report the host made', () => {
    const report = reportOf(mlmodel(`  inputs: '${inputs}'\n  outputs: '${outputs}'\n  params: '${params}'`));
    expect(report.mlmodel?.raw.signature).toEqual({ inputs, outputs, params });
    const before = JSON.stringify(report);

    const wire = encodeModelReport(report);
    const text = JSON.stringify(wire);
    // MLmodel's JSON text, as a JSON string: once (signature.raw), where it was twice (mlmodel.raw.signature too)
    expect(text.split(JSON.stringify(inputs).slice(1, -1)).length - 1).toBe(1);
    expect(before.split(JSON.stringify(inputs).slice(1, -1)).length - 1).toBe(2);
    expect(text.length).toBeLessThan(before.length - inputs.length);
    expect(wire.$wire).toEqual({ signatureFromRaw: ['inputs', 'outputs', 'params'] });

    expect(overJson(wire)).toEqual(report);
    expect(overClone(wire)).toEqual(report);
    expect(JSON.stringify(overJson(wire))).toBe(before); // same keys in the same order: what `inspect --json` prints
    expect(JSON.stringify(report)).toBe(before); // the host's report is not touched
  });

  it('a YAML null or a non-string part travels as it is, and is not restored from signature.raw', () => {
    // outputs: a YAML list (MLflow cannot load it; the report keeps it and signature.raw holds its JSON text)
    const report = reportOf(mlmodel(`  inputs: '${inputs}'\n  outputs:\n  - type: double\n  params: null`));
    expect(report.signature?.raw.outputs).toBe('[{"type":"double"}]');
    const wire = encodeModelReport(report);
    expect(wire.$wire).toEqual({ signatureFromRaw: ['inputs'] });
    expect((wire.mlmodel?.raw.signature as Record<string, unknown>).outputs).toEqual([{ type: 'double' }]);
    const back = overJson(wire);
    expect(back).toEqual(report);
    expect((back.mlmodel?.raw.signature as Record<string, unknown>).params).toBeNull();
  });

  it('a report without a signature, or without MLmodel, travels unchanged', () => {
    const noSig = reportOf(mlmodel('  inputs: null'));
    expect(encodeModelReport({ ...noSig, signature: null })).toEqual({ ...noSig, signature: null });
    const onnx = heartReport({ mlmodel: null, kind: 'onnx-file' });
    expect(encodeModelReport(onnx)).toBe(onnx);
    expect(overJson(encodeModelReport(onnx))).toEqual(onnx);
  });

  it('a wire report that names parts it cannot restore is refused, not shown with holes', () => {
    const report = reportOf(mlmodel(`  inputs: '${inputs}'`));
    const wire = JSON.parse(JSON.stringify(encodeModelReport(report))) as WireModelReport;
    expect(() => decodeModelReport({ ...wire, signature: null, $wire: { signatureFromRaw: ['inputs'] } })).toThrow(/no signature to restore them from/);
    expect(() => decodeModelReport({ ...wire, $wire: { signatureFromRaw: ['bogus' as 'inputs'] } })).toThrow(/unknown signature part "bogus"/);
  });

  it('is the codec of model.inspect, and of no other channel', () => {
    const codec = wireCodecOf(methodChannel('model', 'inspect'));
    const report = reportOf(mlmodel(`  inputs: '${inputs}'`));
    expect(codec?.decode(JSON.parse(JSON.stringify(codec.encode(report))))).toEqual(report);
    expect(wireCodecOf(methodChannel('model', 'recent'))).toBeUndefined();
  });
});
