import { describe, expect, it } from 'vitest';
import { bodyBytesOf, decodeBodyBytes, hasUndecodableBytes, lossyText } from './body-bytes';

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

describe('request bodies that keep their bytes (surrogateescape)', () => {
  it('reads UTF-8 as text, BOM kept, nothing flagged', () => {
    const t = decodeBodyBytes(new TextEncoder().encode('\ufeff{"a": "é😀"}'));
    expect(t).toBe('\ufeff{"a": "é😀"}');
    expect(hasUndecodableBytes(t)).toBe(false);
    expect(lossyText(t)).toBe(t);
  });

  it('keeps each byte of an invalid sequence as Python does (b"a\\xe9b", surrogates, truncated sequences)', () => {
    expect(decodeBodyBytes(bytes(0x61, 0xe9, 0x62))).toBe('a\udce9b');
    expect(decodeBodyBytes(bytes(0xed, 0xa0, 0x80))).toBe('\udced\udca0\udc80');
    expect(decodeBodyBytes(bytes(0x31, 0xe2, 0x82))).toBe('1\udce2\udc82');
    expect(decodeBodyBytes(bytes(0xc0, 0xaf))).toBe('\udcc0\udcaf');
    expect(decodeBodyBytes(bytes(0xff, 0xfe, 0x7b, 0x00))).toBe('\udcff\udcfe{\u0000');
  });

  it('gives back the original bytes, and the lossy text a replacing decoder reads', () => {
    const raw = bytes(0x7b, 0x22, 0x64, 0xe9, 0x22, 0x7d, 0xf0, 0x9f, 0x98, 0x80);
    const t = decodeBodyBytes(raw);
    expect(hasUndecodableBytes(t)).toBe(true);
    expect([...bodyBytesOf(t)]).toEqual([...raw]);
    expect(lossyText(t)).toBe('{"d\ufffd"}😀');
  });

  it('does not mistake a real astral character (a surrogate pair ending in DC80–DCFF) for an escaped byte', () => {
    const t = decodeBodyBytes(new TextEncoder().encode('\u{10080}'));
    expect(t).toBe('\ud800\udc80');
    expect(hasUndecodableBytes(t)).toBe(false);
  });
});
