import { pushAll } from '@shared/arrays';

const utf8 = new TextDecoder('utf-8');
const enc = new TextEncoder();

/**
 * `%XX` escapes as bytes, the rest as its UTF-8, all decoded as UTF-8 with U+FFFD for bad bytes: Python's
 * `urllib.parse.unquote` (`unquote_to_bytes` then `decode('utf-8', 'replace')`), which werkzeug 2.2 uses for both a
 * request's path (`_wsgi_decoding_dance`) and its query string (`_url_unquote_legacy`). A `%` not followed by two hex
 * digits stays as written.
 */
export function percentDecodeUtf8(s: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; ) {
    if (s[i] === '%' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      const ch = String.fromCodePoint(s.codePointAt(i)!);
      pushAll(bytes, enc.encode(ch));
      i += ch.length;
    }
  }
  return utf8.decode(Uint8Array.from(bytes));
}
