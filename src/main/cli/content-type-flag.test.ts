import { describe, expect, it } from 'vitest';
import { contentTypeFlag } from './parse';

describe('--content-type, read the same by predict, validate, convert and compare', () => {
  it('none in any case (spaces around) sends no header; absent gives the command default; anything else is sent as written', () => {
    for (const v of ['none', 'NONE', ' None ']) expect(contentTypeFlag(v, 'application/json')).toBeNull();
    expect(contentTypeFlag(undefined, 'text/csv')).toBe('text/csv');
    expect(contentTypeFlag('application/json; charset=utf-8', 'text/csv')).toBe('application/json; charset=utf-8');
  });
});
