import type { ModelReport } from '../mlflow/model-report';

/**
 * How a model report crosses IPC (Electron's structured clone, browser mode's JSON over WebSocket) — not what
 * `preflight inspect --json` prints, which stays the report itself.
 *
 * MLmodel's signature strings were carried twice: in `mlmodel.raw.signature` (every MLmodel key as parsed) and in
 * `signature.raw` (the same string objects). For a 60 000-column model that is 4.4 MB of JSON each, a third of a
 * 13.8 MB frame. On the wire, a `mlmodel.raw.signature` part that is the very string `signature.raw` holds is sent
 * as null and named in `$wire.signatureFromRaw`; the client puts the string back, so the report the renderer gets
 * is equal to the host's. Only parts named there are restored: a null in MLmodel stays a null.
 */

const PARTS = ['inputs', 'outputs', 'params'] as const;
type Part = (typeof PARTS)[number];

/** The out-of-band note the encoder adds; absent when nothing was elided. */
export interface ReportWireNote {
  /** `mlmodel.raw.signature` parts sent as null because `signature.raw` holds the same string. */
  signatureFromRaw: Part[];
}

export type WireModelReport = ModelReport & { $wire?: ReportWireNote };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The report as it travels. Copies only the objects it changes: the host's report is never mutated. */
export function encodeModelReport(report: ModelReport): WireModelReport {
  const rawSig = report.mlmodel?.raw.signature;
  const sigRaw = report.signature?.raw;
  if (!report.mlmodel || !isRecord(rawSig) || !sigRaw) return report;
  const elided = PARTS.filter((p) => typeof rawSig[p] === 'string' && rawSig[p] === sigRaw[p]);
  if (elided.length === 0) return report;
  const signature: Record<string, unknown> = { ...rawSig };
  for (const p of elided) signature[p] = null;
  return {
    ...report,
    mlmodel: { ...report.mlmodel, raw: { ...report.mlmodel.raw, signature } },
    $wire: { signatureFromRaw: elided },
  };
}

/**
 * The report back from its wire form. Works in place on the received copy (it is the caller's own: a fresh
 * JSON.parse or structured clone), so a 60 000-column report is not copied again.
 */
export function decodeModelReport(wire: WireModelReport): ModelReport {
  const note = wire.$wire;
  if (note === undefined) return wire;
  delete wire.$wire;
  const rawSig = wire.mlmodel?.raw.signature;
  const sigRaw = wire.signature?.raw;
  const parts = Array.isArray(note.signatureFromRaw) ? note.signatureFromRaw : [];
  if (parts.length === 0) return wire;
  if (!isRecord(rawSig) || !sigRaw) {
    throw new Error(
      `The model report from the host names signature parts sent once (${parts.join(', ')}) but has no signature to restore them from; ` +
        'the app and its host are probably from different builds: restart Preflight.',
    );
  }
  for (const p of parts) {
    if (!PARTS.includes(p)) {
      throw new Error(`The model report from the host names an unknown signature part "${String(p)}"; the app and its host are probably from different builds: restart Preflight.`);
    }
    rawSig[p] = sigRaw[p];
  }
  return wire;
}
