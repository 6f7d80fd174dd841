/**
 * A4 hands the body's bytes to `json.loads`, which decodes them with `json.detect_encoding`'s codec and
 * errors='surrogatepass' (azureml-body.ts). Replayed here: 1 500 random bodies (every codec, every
 * UnicodeDecodeError) with the text or the error CPython 3.11 gave, recorded by
 * test/fidelity/azure-a1/record_decode.py into test/fixtures/a4-decode/cpython.jsonl. And long bodies: the decoder
 * gathers code units in blocks and decodes valid UTF-8 runs natively (one string append per character took 0.3 s
 * for a 5 MB UTF-16 body), so the recorded bodies are also decoded repeated past a block.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../../test/support/paths';
import { decodeA4Bytes, detectEncoding } from './azureml-body';

interface Recorded {
  hex: string;
  encoding: string;
  text?: string;
  error?: string;
}

const recorded: Recorded[] = readFileSync(join(repoRoot, 'test', 'fixtures', 'a4-decode', 'cpython.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Recorded);
const bytesOf = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
const BOMS: Record<string, number> = { 'utf-8-sig': 3, 'utf-16': 2, 'utf-32': 4 };

describe('A4 body decoding equals CPython json.loads’ (detect_encoding + surrogatepass)', () => {
  it('the same text or the same UnicodeDecodeError on 1 500 recorded bodies', () => {
    expect(recorded.length).toBe(1500);
    const wrong: string[] = [];
    for (const r of recorded) {
      const b = bytesOf(r.hex);
      expect(detectEncoding(b), r.hex).toBe(r.encoding);
      const got = decodeA4Bytes(b);
      const same = r.error === undefined ? got.ok && got.text === r.text : !got.ok && got.log === r.error;
      if (!same) wrong.push(`${r.hex}: ${got.ok ? JSON.stringify(got.text) : got.log} ≠ ${r.error ?? JSON.stringify(r.text)}`);
    }
    expect(wrong.slice(0, 5), `${wrong.length} of ${recorded.length} differ`).toEqual([]);
  });

  it('long bodies: each decodable recorded body with a BOM, its content repeated 3 000 times, gives its text repeated', () => {
    let long = 0;
    for (const r of recorded) {
      const bom = BOMS[r.encoding];
      if (bom === undefined || r.text === undefined || r.text === '') continue;
      const b = bytesOf(r.hex);
      const body = new Uint8Array(bom + (b.length - bom) * 3000);
      body.set(b.subarray(0, bom));
      for (let k = 0; k < 3000; k++) body.set(b.subarray(bom), bom + k * (b.length - bom));
      const got = decodeA4Bytes(body);
      expect(got.ok && got.text === r.text.repeat(3000), `${r.hex} × 3000`).toBe(true);
      if (++long === 60) break;
    }
    expect(long).toBe(60);
  });

  it('a body whose bytes fail late fails with the same error, counted from the first byte', () => {
    // 20 000 valid UTF-16 units, then a cut one; 20 000 UTF-32 units, then one past U+10FFFF
    const u16 = new Uint8Array(2 + 40_000 + 1).fill(0x41);
    u16.set([0xff, 0xfe]);
    for (let i = 3; i < u16.length; i += 2) u16[i] = 0;
    expect(decodeA4Bytes(u16)).toEqual({ ok: false, log: "UnicodeDecodeError: 'utf-16-le' codec can't decode byte 0x41 in position 40002: truncated data" });
    const u32 = new Uint8Array(4 + 80_004);
    u32.set([0, 0, 0xfe, 0xff]);
    for (let i = 4; i < u32.length; i += 4) u32[i + 3] = 0x41;
    u32.set([0, 0x11, 0, 0], u32.length - 4);
    expect(decodeA4Bytes(u32)).toEqual({ ok: false, log: "UnicodeDecodeError: 'utf-32-be' codec can't decode bytes in position 80004-80007: code point not in range(0x110000)" });
  });
});
