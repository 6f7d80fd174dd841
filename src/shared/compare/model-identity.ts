import type { SavedForData } from '../ipc/collections-contract';
import type { ModelReport } from '../mlflow/model-report';

/**
 * Which model a saved request was made for (collections' `model` field): the folder's name, MLmodel's model_uuid and
 * a digest of the signature. A body written for one signature gives validation errors under another, so opening it
 * for a model with another signature must say why before the user hunts for a mistake in the body.
 */

/** FNV-1a, 64 bits: a stable, dependency-free digest (an identity check between files, not a security boundary). */
function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  const bytes = new TextEncoder().encode(text);
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** Whitespace and indentation of MLmodel's JSON strings do not change the signature (key order does not vary: MLflow writes it). */
function canonical(raw: string | null): string {
  if (raw === null) return '';
  try {
    return JSON.stringify(JSON.parse(raw));
  } catch {
    return raw;
  }
}

/** `fnv1a64:<hex>` of the signature's inputs and params as MLmodel holds them; null without a signature. */
export function signatureDigest(raw: { inputs: string | null; params: string | null } | null): string | null {
  if (raw === null || (raw.inputs === null && raw.params === null)) return null;
  return `fnv1a64:${fnv1a64(`inputs:${canonical(raw.inputs)}\nparams:${canonical(raw.params)}`)}`;
}

/** The identity a request saved for this model records. */
export function modelIdentityOf(report: Pick<ModelReport, 'name' | 'mlmodel' | 'signature'>): SavedForData {
  return { folder: report.name, modelUuid: report.mlmodel?.modelUuid ?? null, signature: signatureDigest(report.signature?.raw ?? null) };
}

/**
 * What to tell the user when a request saved for `savedFor` is opened for `current` (null: nothing to say — the same
 * model, or a file that does not record one). Not an error: the body may well suit this model too.
 */
export function savedForNote(savedFor: SavedForData | null | undefined, current: SavedForData | null): string | null {
  if (!savedFor || !current) return null;
  const sameModel = savedFor.modelUuid !== null && current.modelUuid !== null ? savedFor.modelUuid === current.modelUuid : savedFor.folder === current.folder;
  const signature = savedFor.signature === null || current.signature === null ? 'unknown' : savedFor.signature === current.signature ? 'same' : 'differs';
  if (sameModel && signature !== 'differs') return null;
  const which = `"${savedFor.folder}"${savedFor.modelUuid ? ` (model_uuid ${savedFor.modelUuid})` : ''}`;
  if (sameModel) return `Saved for ${which} when its signature was different from this model's: validation errors may come from that, not from the body.`;
  if (signature === 'differs') return `Saved for another model, ${which}, whose signature differs from this one's: validation errors may come from that, not from the body.`;
  if (signature === 'same') return `Saved for another model, ${which}, with the same signature as this one.`;
  return `Saved for another model, ${which}: check the body against this model's signature.`;
}
