import { describe, expect, it } from 'vitest';
import { TargetSpecSchema } from '../ipc/compare-contract';
import { parseTargetSpec, targetName } from './targets';

describe('azure:<endpoint>[/<deployment>] targets', () => {
  it('reads an endpoint with or without a deployment, and names it back the same way', () => {
    for (const [text, deployment] of [['azure:my-ep/blue', 'blue'], ['azure:my-ep', null]] as const) {
      const p = parseTargetSpec(text);
      expect(p).toEqual({ ok: true, spec: { kind: 'azure', server: 'azureml', endpoint: 'my-ep', deployment } });
      if (p.ok) {
        expect(targetName(p.spec)).toBe(text);
        expect(TargetSpecSchema.parse(p.spec)).toEqual(p.spec);
      }
    }
  });

  it('refuses names Azure would refuse, and says what the form is', () => {
    for (const bad of ['azure:', 'azure:my-ep/', 'azure:my-ep/blue/x', 'azure:1ep', 'azure:my_ep', 'azure:https://x/score']) {
      const p = parseTargetSpec(bad);
      expect(p.ok).toBe(false);
      if (!p.ok) expect(p.message).toMatch(/azure:<endpoint>\/<deployment>/);
    }
    expect(TargetSpecSchema.safeParse({ kind: 'azure', server: 'azureml', endpoint: 'a/b', deployment: null }).success).toBe(false);
    expect(TargetSpecSchema.safeParse({ kind: 'azure', server: 'mlflow', endpoint: 'ep', deployment: null }).success).toBe(false);
  });

  it('lists the azure form among the targets an unknown one could have been', () => {
    const p = parseTargetSpec('cloud:ep');
    expect(!p.ok && p.message).toMatch(/azure:<endpoint>\[\/<deployment>\]/);
  });
});
