/**
 * "Import from curl" (issue 10): a curl command — as Azure ML studio's Consume tab, a teammate or Preflight's own
 * Copy as curl writes it — read back into a request: URL, method, headers and the body. Shell quoting is read the way
 * POSIX sh reads it (single quotes literal, double quotes with \-escapes, backslash-newline continuations); nothing is
 * run, no variable is expanded (`$KEY` stays as written, so a key kept in an environment variable stays there).
 */

export interface CurlRequest {
  url: string;
  method: string;
  headers: { name: string; value: string }[];
  body: string | null;
  contentType: string | null;
  /**
   * The file the body is read from (`-d @request.json`, as Azure ML's docs write it): not read — nothing outside
   * the command is — so `body` is null and the user pastes the file's content.
   */
  bodyFile: string | null;
  /** What was ignored or cannot be imported, in words. */
  notes: string[];
}

export type CurlImport = { ok: true; request: CurlRequest } | { ok: false; message: string };

/** Splits a shell command line into words (no expansion). */
export function shellWords(text: string): { ok: true; words: string[] } | { ok: false; message: string } {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { ok: false, message: 'a single quote (\') is never closed' };
      cur += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n && '"\\$`\n'.includes(text[i + 1]!)) {
          if (text[i + 1] !== '\n') cur += text[i + 1];
          i += 2;
        } else cur += text[i++];
      }
      if (i >= n) return { ok: false, message: 'a double quote (") is never closed' };
      inWord = true;
      i++;
      continue;
    }
    if (c === '\\' && i + 1 < n) {
      cur += text[i + 1];
      inWord = true;
      i += 2;
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
      continue;
    }
    cur += c;
    inWord = true;
    i++;
  }
  if (inWord) words.push(cur);
  return { ok: true, words };
}

const DATA = new Set(['-d', '--data', '--data-raw', '--data-binary', '--data-ascii', '--json']);
const NO_ARG = new Set(['-s', '-S', '-sS', '-Ss', '-i', '-v', '-k', '-L', '--silent', '--show-error', '--include', '--verbose', '--insecure', '--location', '--compressed', '--fail', '-f', '-sSf']);
const IGNORED_WITH_ARG = new Set(['-o', '--output', '-m', '--max-time', '--connect-timeout', '-w', '--write-out', '--retry']);

export function importCurl(text: string): CurlImport {
  const split = shellWords(text.trim());
  if (!split.ok) return { ok: false, message: `This is not a complete curl command: ${split.message}.` };
  const words = split.words;
  if (words[0] !== 'curl') return { ok: false, message: 'Paste a command that starts with curl (e.g. Copy as curl, or Azure ML studio\'s Consume tab).' };
  let url: string | null = null;
  let method: string | null = null;
  const headers: { name: string; value: string }[] = [];
  const bodies: string[] = [];
  let bodyFile: string | null = null;
  const notes: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    const arg = (): string | null => (i + 1 < words.length ? words[++i]! : null);
    if (w === '-X' || w === '--request') method = arg();
    else if (w === '-H' || w === '--header') {
      const h = arg() ?? '';
      const colon = h.indexOf(':');
      if (colon <= 0) notes.push(`header "${h}" has no name: value; left out`);
      else headers.push({ name: h.slice(0, colon).trim(), value: h.slice(colon + 1).trim() });
    } else if (DATA.has(w)) {
      const d = arg() ?? '';
      if (w !== '--data-raw' && d.startsWith('@')) bodyFile = d.slice(1);
      else bodies.push(d);
      if (w === '--json' && !headers.some((h) => h.name.toLowerCase() === 'content-type')) headers.push({ name: 'Content-Type', value: 'application/json' });
    } else if (w === '--url') url = arg();
    else if (w === '-u' || w === '--user') {
      arg();
      notes.push('-u (basic auth) left out: add an Authorization header instead');
    } else if (NO_ARG.has(w)) continue;
    else if (IGNORED_WITH_ARG.has(w)) arg();
    else if (w.startsWith('-')) notes.push(`${w} ignored`);
    else if (url === null) url = w;
    else notes.push(`"${w}" ignored (a second URL)`);
  }
  if (url === null) return { ok: false, message: 'The curl command names no URL.' };
  if (!/^https?:\/\//i.test(url)) return { ok: false, message: `"${url}" is not an http(s) URL.` };
  const ct = headers.find((h) => h.name.toLowerCase() === 'content-type');
  return {
    ok: true,
    request: {
      url,
      method: (method ?? (bodies.length || bodyFile !== null ? 'POST' : 'GET')).toUpperCase(),
      headers: headers.filter((h) => h !== ct),
      // curl joins several -d with '&'.
      body: bodies.length ? bodies.join('&') : null,
      contentType: ct?.value ?? (bodies.length ? 'application/x-www-form-urlencoded' : null),
      bodyFile,
      notes,
    },
  };
}
