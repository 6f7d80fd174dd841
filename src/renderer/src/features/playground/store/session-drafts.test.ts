import { describe, expect, it } from 'vitest';
import { DRAFTS_KEY, sessionDrafts } from './session-drafts';

/** A Storage over a Map, with a quota in characters like the browser's (it throws past it). */
function memoryStorage(quota = Infinity): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => {
      if (v.length > quota) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k) => void map.delete(k),
  };
}

describe('the playground texts kept for a reload (sessionStorage)', () => {
  it('reads back what it wrote: every model\'s text, content type and baseline', () => {
    const storage = memoryStorage();
    const kept = { drafts: { '/m': { body: '{"input_data": 1}', contentType: 'application/json' }, '/n': { body: 'a,b\n1,2', contentType: null } }, baselines: { '/m': '{}' } };
    sessionDrafts(storage).write(kept);
    expect(sessionDrafts(storage).read()).toEqual(kept);
  });

  it('reads nothing from a missing, damaged or foreign entry, and keeps only the well-formed drafts', () => {
    const storage = memoryStorage();
    expect(sessionDrafts(storage).read()).toEqual({ drafts: {}, baselines: {} });
    storage.map.set(DRAFTS_KEY, '{not json');
    expect(sessionDrafts(storage).read()).toEqual({ drafts: {}, baselines: {} });
    storage.map.set(DRAFTS_KEY, JSON.stringify({ drafts: { '/m': { body: 'ok', contentType: null }, '/x': { body: 3 } }, baselines: { '/m': 'ok', '/x': null } }));
    expect(sessionDrafts(storage).read()).toEqual({ drafts: { '/m': { body: 'ok', contentType: null } }, baselines: { '/m': 'ok' } });
  });

  it('past the storage quota keeps nothing rather than an older text a reload would bring back', () => {
    const storage = memoryStorage(200);
    const keeper = sessionDrafts(storage);
    keeper.write({ drafts: { '/m': { body: 'old', contentType: null } }, baselines: {} });
    keeper.write({ drafts: { '/m': { body: 'x'.repeat(500), contentType: null } }, baselines: {} });
    expect(storage.map.has(DRAFTS_KEY)).toBe(false);
    expect(keeper.read()).toEqual({ drafts: {}, baselines: {} });
  });

  it('without a storage keeps nothing and never throws', () => {
    const keeper = sessionDrafts(undefined);
    expect(() => keeper.write({ drafts: { '/m': { body: 'b', contentType: null } }, baselines: {} })).not.toThrow();
    expect(keeper.read()).toEqual({ drafts: {}, baselines: {} });
  });
});

