import { describe, expect, it } from 'vitest';
import { modelIdentityOf, savedForNote, signatureDigest } from './model-identity';

const raw = { inputs: '[{"type": "double", "name": "age"}, {"type": "double", "name": "bmi"}]', params: null };

describe('model identity of a saved request', () => {
  it('digests the signature as MLmodel holds it, whitespace aside', () => {
    const d = signatureDigest(raw);
    expect(d).toMatch(/^fnv1a64:[0-9a-f]{16}$/);
    expect(signatureDigest({ inputs: '[{"type":"double","name":"age"},{"type":"double","name":"bmi"}]', params: null })).toBe(d);
    expect(signatureDigest({ inputs: '[{"type": "double", "name": "age"}]', params: null })).not.toBe(d);
    expect(signatureDigest({ ...raw, params: '[{"name": "k", "type": "long", "default": 1, "shape": null}]' })).not.toBe(d);
    expect(signatureDigest(null)).toBeNull();
  });

  it('reads the folder, model_uuid and signature from the inspection report', () => {
    expect(modelIdentityOf({ name: 'churn', mlmodel: { modelUuid: 'u1' } as never, signature: { raw: { ...raw, outputs: null } } as never })).toEqual({ folder: 'churn', modelUuid: 'u1', signature: signatureDigest(raw) });
    expect(modelIdentityOf({ name: 'bare.onnx', mlmodel: null, signature: null })).toEqual({ folder: 'bare.onnx', modelUuid: null, signature: null });
  });

  it('says plainly when a request was saved for another model, and nothing for the same one or an old file', () => {
    const here = { folder: 'churn', modelUuid: 'u1', signature: 'fnv1a64:aaaa' };
    expect(savedForNote(undefined, here)).toBeNull();
    expect(savedForNote(here, here)).toBeNull();
    // the folder was renamed or copied: the uuid decides
    expect(savedForNote({ ...here, folder: 'churn-copy' }, here)).toBeNull();
    expect(savedForNote({ folder: 'iris', modelUuid: 'u2', signature: 'fnv1a64:bbbb' }, here)).toBe(
      'Saved for another model, "iris" (model_uuid u2), whose signature differs from this one\'s: validation errors may come from that, not from the body.',
    );
    expect(savedForNote({ folder: 'churn-v2', modelUuid: 'u3', signature: 'fnv1a64:aaaa' }, here)).toBe('Saved for another model, "churn-v2" (model_uuid u3), with the same signature as this one.');
    expect(savedForNote({ folder: 'churn', modelUuid: 'u1', signature: 'fnv1a64:cccc' }, here)).toMatch(/^Saved for "churn" \(model_uuid u1\) when its signature was different/);
    // no uuids: the folder name decides
    expect(savedForNote({ folder: 'other', modelUuid: null, signature: null }, { ...here, modelUuid: null })).toBe('Saved for another model, "other": check the body against this model\'s signature.');
  });
});
