import { describe, expect, it } from 'vitest';
import { ScoringTargetCache, type ScoringTarget } from './scoring-target-cache';

const target = (key: string): ScoringTarget => ({ scoringUri: 'https://ep.westeurope.inference.ml.azure.com/score', authMode: 'Key', key });

describe('ScoringTargetCache', () => {
  it('reads once within the TTL, again after it, and again after a drop', async () => {
    let now = 0;
    let reads = 0;
    const cache = new ScoringTargetCache(1000, () => now);
    const load = async (): Promise<ScoringTarget> => target(`k${++reads}`);
    const key = ScoringTargetCache.key({ subscription: 'S', resourceGroup: 'RG', workspace: 'W' }, 'My-Ep');
    expect(key).toBe(ScoringTargetCache.key({ subscription: 's', resourceGroup: 'rg', workspace: 'w' }, 'my-ep'));
    expect((await cache.get(key, load)).key).toBe('k1');
    now = 999;
    expect((await cache.get(key, load)).key).toBe('k1');
    now = 1000;
    expect((await cache.get(key, load)).key).toBe('k2');
    cache.drop(key);
    expect((await cache.get(key, load)).key).toBe('k3');
  });

  it('shares a read in flight between parallel calls and keeps no failed read', async () => {
    let reads = 0;
    const cache = new ScoringTargetCache();
    const slow = async (): Promise<ScoringTarget> => {
      reads++;
      await new Promise((r) => setTimeout(r, 20));
      return target('k');
    };
    await Promise.all([cache.get('e', slow), cache.get('e', slow), cache.get('e', slow)]);
    expect(reads).toBe(1);
    await expect(cache.get('f', async () => Promise.reject(new Error('ARM said 404')))).rejects.toThrow('404');
    expect((await cache.get('f', async () => target('later'))).key).toBe('later');
  });
});
