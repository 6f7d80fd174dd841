import type { Dependency, DependencyConflict } from './model-report';

/**
 * Pip requirement lines (requirements.txt, constraints.txt, python_env.yaml lists, conda.yaml's `pip:`
 * list) and conda dependency strings → the report's dependency rows. Pure: no file access; the caller
 * follows `-r` / `-c` includes. What matters downstream is `source`: whether installing the row needs
 * only a public index, or something a private-link Azure workspace cannot reach at deploy time.
 */

export type DependencySource = Dependency['source'];

/** PEP 503 normalised name: lower-case, runs of `-`, `_`, `.` become one `-`. */
export function normalizePackageName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * Hides credentials in every URL inside `text`: `https://user:secret@host` → `https://user:***@host`; a lone
 * user part (usually a token, `https://TOKEN@host`) → `https://***@host`. `${VAR}` placeholders stay
 * visible: they are not secrets and say which variable the build needs.
 */
export function redactUrl(text: string): string {
  // A scheme is `[a-z][a-z0-9+.-]*://`; the first letter of a run of scheme characters is where the leftmost one can
  // start, so the match starts at the run (`lead`, the run's digits/`+.-` before that letter, is put back). Tried from
  // every letter of a long run instead, the pattern re-scanned the run each time (quadratic on a requirements line).
  return text.replace(/(?<![a-z0-9+.-])([0-9+.-]*)([a-z][a-z0-9+.-]*:\/\/)([^\s/@]+)@/gi, (_m, lead: string, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    if (colon >= 0) {
      const pass = userinfo.slice(colon + 1);
      return `${lead}${scheme}${userinfo.slice(0, colon)}:${/^\$\{[^}]+\}$/.test(pass) ? pass : '***'}@`;
    }
    return `${lead}${scheme}${/^\$\{[^}]+\}$/.test(userinfo) ? userinfo : '***'}@`;
  });
}

const PUBLIC_PIP_HOSTS = new Set(['pypi.org', 'pypi.python.org', 'files.pythonhosted.org', 'test.pypi.org']);
const PUBLIC_CONDA_HOSTS = new Set(['conda.anaconda.org', 'repo.anaconda.com', 'anaconda.org', 'repo.continuum.io']);

function hostOf(url: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^\s/@]*@)?([^\s/:?#]+)/i.exec(url);
  return m ? m[1].toLowerCase() : null;
}

/** Whether an `--index-url` / `--extra-index-url` points at PyPI itself. */
export function isPublicPipIndex(url: string): boolean {
  const host = hostOf(url);
  return host !== null && PUBLIC_PIP_HOSTS.has(host);
}

/** A conda channel is private when it is a URL (or path) outside anaconda.org's public hosts. */
export function isPrivateCondaChannel(channel: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(channel)) {
    const host = hostOf(channel);
    return host === null || !PUBLIC_CONDA_HOSTS.has(host);
  }
  return channel.startsWith('/') || channel.startsWith('.') || channel.startsWith('~');
}

// ---- pip lines ---------------------------------------------------------------------------------

/** One logical line of a pip requirements file: continuations joined, comments removed, 1-based line. */
export interface LogicalLine {
  text: string;
  line: number;
}

/** Splits requirements text into logical lines (pip's rules: `\` continues, ` #` starts a comment). */
export function splitPipLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const physical = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let pending: LogicalLine | null = null;
  physical.forEach((rawLine, i) => {
    let line = rawLine;
    const continued = /(^|[^\\])\\$/.test(line);
    if (continued) line = line.slice(0, -1);
    if (pending) pending.text += line;
    else pending = { text: line, line: i + 1 };
    if (!continued) {
      const stripped = stripComment(pending.text).trim();
      if (stripped !== '') out.push({ text: stripped, line: pending.line });
      pending = null;
    }
  });
  if (pending !== null) {
    const last: LogicalLine = pending;
    const stripped = stripComment(last.text).trim();
    if (stripped !== '') out.push({ text: stripped, line: last.line });
  }
  return out;
}

function stripComment(line: string): string {
  if (/^\s*#/.test(line)) return '';
  // pip strips `#` comments only when preceded by whitespace, so URL fragments (`#egg=x`) survive.
  return cutTail(line, /(?<!\s)\s+#/g);
}

/**
 * `text.replace(new RegExp(`${lead.source}.*$`), '')` in linear time, for a `lead` that starts at a blank run's first
 * character (`(?<!\s)`) and is global. `.*$` holds where no line break follows the lead's end; the single pattern
 * re-scanned the rest of the line from every blank (or `;`, `#`) of a long run: quadratic on a hostile line.
 */
function cutTail(text: string, lead: RegExp): string {
  const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'), text.lastIndexOf('\u2028'), text.lastIndexOf('\u2029'));
  for (const m of text.matchAll(lead)) if (m.index + m[0].length > lastBreak) return text.slice(0, m.index);
  return text;
}

export type PipLine =
  | { kind: 'requirement'; name: string; spec: string; source: DependencySource; raw: string }
  | { kind: 'include'; option: '-r' | '-c'; path: string; raw: string }
  | { kind: 'option'; option: string; value: string | null; source: DependencySource; raw: string }
  | { kind: 'invalid'; raw: string; reason: string };

/** Options that take a value, by every spelling pip accepts, mapped to their long form. */
const VALUE_OPTIONS: Record<string, string> = {
  '-r': '--requirement',
  '--requirement': '--requirement',
  '-c': '--constraint',
  '--constraint': '--constraint',
  '-i': '--index-url',
  '--index-url': '--index-url',
  '--extra-index-url': '--extra-index-url',
  '-f': '--find-links',
  '--find-links': '--find-links',
  '-e': '--editable',
  '--editable': '--editable',
  '--trusted-host': '--trusted-host',
  '--no-binary': '--no-binary',
  '--only-binary': '--only-binary',
  '--use-feature': '--use-feature',
  '--config-settings': '--config-settings',
  '--global-option': '--global-option',
};
const FLAG_OPTIONS = new Set(['--pre', '--no-index', '--prefer-binary', '--require-hashes']);

const SPEC_CLAUSE = /^(~=|===|==|!=|<=|>=|<|>)\s*[A-Za-z0-9.*+!_-]+$/;
const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;

function isUrl(text: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^(git|hg|svn|bzr)\+/i.test(text);
}

function isVcs(text: string): boolean {
  return /^(git|hg|svn|bzr)\+/i.test(text) || /^git:\/\//i.test(text);
}

function looksLikePath(text: string): boolean {
  return (
    /^(\.{1,2}[\\/]|\.$|\/|~|[A-Za-z]:[\\/]|file:)/i.test(text) ||
    text.includes('/') ||
    text.includes('\\') ||
    /\.(whl|tar\.gz|tgz|zip|tar\.bz2)$/i.test(text)
  );
}

/**
 * The `egg=` name of `/#(?:.*&)?egg=([A-Za-z0-9._-]+)/.exec(location)`, in linear time: that pattern re-scanned the
 * rest of the line from every `#` (quadratic on a hostile URL). Its first match: in the first piece between line
 * breaks (`.` stops there) that has a `#`, the last `&egg=NAME` after that `#`; else the first `#egg=NAME`; else the
 * next piece.
 */
function eggName(location: string): string | null {
  for (const piece of location.split(/[\n\r\u2028\u2029]/)) {
    const hash = piece.indexOf('#');
    if (hash < 0) continue;
    let last: string | null = null;
    for (const m of piece.slice(hash + 1).matchAll(/&egg=([A-Za-z0-9._-]+)/g)) last = m[1];
    if (last !== null) return last;
    const direct = /#egg=([A-Za-z0-9._-]+)/.exec(piece);
    if (direct) return direct[1];
  }
  return null;
}

const SDIST_END = /\.(tar\.gz|tgz|zip|tar\.bz2)$/i;

/** Name of a package from a wheel / sdist file name or a repository URL, when it can be told. */
function nameFromLocation(location: string): string | null {
  const egg = eggName(location);
  if (egg !== null) return normalizePackageName(egg);
  // (`(?<![\\/])`: only a slash run's first slash can start the trailing run; tried from every slash of a long run
  // the pattern re-scanned it.)
  const withoutFragment = cutTail(location, /[#?]/g).replace(/(?<![\\/])[\\/]+$/, '');
  let last = withoutFragment.split(/[\\/]/).pop() ?? '';
  last = last.replace(/@[^@]*$/, ''); // vcs `repo.git@v1.2`
  const wheel = /^([A-Za-z0-9_.]+?)-\d[^-]*(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/i.exec(last);
  if (wheel) return normalizePackageName(wheel[1]);
  // Only tried on a name with an sdist's ending (which the pattern needs anyway): without one, every `-digit` of a long
  // name re-scanned the rest (quadratic on a hostile URL); with one, the first `-digit` matches.
  const sdist = SDIST_END.test(last) ? /^(.+?)-\d[^/]*\.(tar\.gz|tgz|zip|tar\.bz2)$/i.exec(last) : null;
  if (sdist) return normalizePackageName(sdist[1]);
  last = last.replace(/\.git$/i, '');
  return NAME.test(last) ? normalizePackageName(last) : null;
}

function directSource(location: string): DependencySource {
  if (isVcs(location)) return 'vcs';
  if (/^file:/i.test(location) || !isUrl(location)) return 'local-path';
  return 'url';
}

function direct(location: string, raw: string, name: string | null): PipLine {
  // `-e .` or an anonymous URL has no name pip could tell either; the location itself identifies the row.
  const n = name ?? nameFromLocation(location) ?? location;
  return { kind: 'requirement', name: n, spec: location, source: directSource(location), raw };
}

/**
 * One logical pip line → what it means. `raw` is the line with credentials redacted. Per-requirement
 * options (`--hash=…`) are tolerated and dropped from the spec.
 */
export function parsePipLine(text: string): PipLine {
  const raw = redactUrl(text.trim());
  const line = raw;
  if (line.startsWith('-')) {
    // `\s*(\S.*)?` = `\s*(.*)` (the blanks all go to `\s*`), without a blank run the two could split every way.
    const m = /^(--?[A-Za-z-]+)(?:[=\s]\s*(\S.*)?)?$/.exec(line);
    const opt = m?.[1] ?? line;
    const value = m?.[2]?.trim() || null;
    const long = VALUE_OPTIONS[opt];
    if (long === undefined) {
      if (FLAG_OPTIONS.has(opt)) return { kind: 'option', option: opt, value: null, source: 'option', raw };
      return { kind: 'invalid', raw, reason: `unknown pip option ${opt}` };
    }
    if (value === null) return { kind: 'invalid', raw, reason: `pip option ${opt} needs a value` };
    switch (long) {
      case '--requirement':
        return { kind: 'include', option: '-r', path: value, raw };
      case '--constraint':
        return { kind: 'include', option: '-c', path: value, raw };
      case '--index-url':
      case '--extra-index-url':
        // PyPI itself needs nothing a public index does not: only other hosts are private.
        return { kind: 'option', option: long, value, source: isPublicPipIndex(value) ? 'index' : 'private-index', raw };
      case '--find-links':
        return { kind: 'option', option: long, value, source: isUrl(value) && !/^file:/i.test(value) ? 'url' : 'local-path', raw };
      case '--editable':
        return direct(value, raw, null);
      default:
        return { kind: 'option', option: long, value, source: 'option', raw };
    }
  }
  // Per-requirement options follow the requirement: `pkg==1 --hash=sha256:…`.
  // (Patterns here start at a blank run's first character, `(?<!\s)`, and never put two blank runs side by side: a
  // hostile line's long blank run was otherwise re-scanned from each of its characters.)
  const body = line.replace(/(?<!\s)\s+--[A-Za-z-]+(?:[=\s]\S+)?/g, '').trim();
  if (isUrl(body)) return direct(cutTail(body, /(?<!\s)\s*;/g), raw, null);
  const m = NAME.exec(body);
  if (!m || (looksLikePath(body) && !/^[A-Za-z0-9._-]+\s*(?:\[[^\]]*\]\s*)?@/.test(body))) {
    if (looksLikePath(body)) return direct(cutTail(body, /(?<!\s)\s*;/g), raw, null);
    return { kind: 'invalid', raw, reason: 'not a package name, option, URL or path; expected e.g. numpy==1.24' };
  }
  const name = m[1];
  let rest = body.slice(name.length).trim();
  const extras = /^\[([^\]]*)\]/.exec(rest);
  if (extras) rest = rest.slice(extras[0].length).trim();
  if (rest.startsWith('@')) {
    const location = cutTail(rest.slice(1), /(?<!\s)\s+;/g).trim();
    if (location === '') return { kind: 'invalid', raw, reason: `"${name} @" needs a URL after the @` };
    return direct(location, raw, normalizePackageName(name));
  }
  if (rest !== '' && !/^[<>=!~(;]/.test(rest)) {
    return { kind: 'invalid', raw, reason: 'not a package name, option, URL or path; expected e.g. numpy==1.24' };
  }
  const semi = rest.indexOf(';');
  let spec = (semi >= 0 ? rest.slice(0, semi) : rest).trim();
  if (spec.startsWith('(') && spec.endsWith(')')) spec = spec.slice(1, -1).trim();
  spec = spec.replace(/\s+/g, '');
  if (spec !== '' && !spec.split(',').every((clause) => SPEC_CLAUSE.test(clause))) {
    return { kind: 'invalid', raw, reason: `version specifier ${JSON.stringify(spec)} is malformed; expected e.g. ==1.2.3 or >=2,<3` };
  }
  return { kind: 'requirement', name: normalizePackageName(name), spec, source: 'index', raw };
}

export interface PipFileResult {
  dependencies: Dependency[];
  /** `-r` / `-c` files named by the lines, for the caller to read (relative to the model folder). */
  includes: { option: '-r' | '-c'; path: string; line: number }[];
  /** Index URLs and find-links (credentials redacted). */
  indexUrls: string[];
  /** Lines that are not valid pip syntax, each naming the line and why. */
  errors: { line: number; message: string }[];
}

/**
 * Logical pip lines of one file → dependency rows. When the file points pip at a non-PyPI index, its
 * index requirements are marked `private-index`: pip will fetch them from there.
 */
export function pipDependencies(lines: LogicalLine[], file: string): PipFileResult {
  const parsed = lines.map((l) => ({ line: l.line, p: parsePipLine(l.text) }));
  const privateIndex = parsed.some(({ p }) => p.kind === 'option' && p.source === 'private-index');
  const result: PipFileResult = { dependencies: [], includes: [], indexUrls: [], errors: [] };
  for (const { line, p } of parsed) {
    switch (p.kind) {
      case 'invalid':
        result.errors.push({ line, message: `${file} line ${line}: ${JSON.stringify(p.raw)} is not valid pip syntax (${p.reason}); fix or remove the line.` });
        break;
      case 'include':
        // No row of its own: the caller reads the included file and lists its requirements under its name.
        result.includes.push({ option: p.option, path: p.path, line });
        break;
      case 'option':
        if (p.option === '--index-url' || p.option === '--extra-index-url' || p.option === '--find-links') {
          if (p.value !== null) result.indexUrls.push(p.value);
        }
        result.dependencies.push({ name: p.option, spec: p.value ?? '', raw: p.raw, file, line, installer: 'pip', channel: null, source: p.source });
        break;
      case 'requirement':
        result.dependencies.push({
          name: p.name,
          spec: p.spec,
          raw: p.raw,
          file,
          line,
          installer: 'pip',
          channel: null,
          source: p.source === 'index' && privateIndex ? 'private-index' : p.source,
        });
        break;
    }
  }
  return result;
}

// ---- conda -------------------------------------------------------------------------------------

/**
 * One conda dependency string (`python=3.8.5`, `pip<=21.2.4`, `conda-forge::numpy=1.2`, `numpy 1.2.*`,
 * or an explicit package URL) → a dependency row, or an error message.
 */
export function condaDependency(entry: string, file: string, line: number | null, channels: string[]): Dependency | { error: string } {
  const raw = redactUrl(entry.trim());
  if (raw === '') return { error: `${file}${line === null ? '' : ` line ${line}`}: empty conda dependency` };
  const fileChannel = channels.length > 0 ? channels.map(redactUrl).join(', ') : null;
  const privateChannel = channels.some(isPrivateCondaChannel);
  if (isUrl(raw)) {
    const name = nameFromLocation(raw.replace(/\.conda$/i, '.tar.bz2')) ?? raw;
    return { name, spec: raw, raw, file, line, installer: 'conda', channel: null, source: 'url' };
  }
  let rest = raw;
  let channel: string | null = null;
  const sep = rest.indexOf('::');
  if (sep >= 0) {
    channel = rest.slice(0, sep);
    rest = rest.slice(sep + 2);
  }
  // The name taken whole (`(?=(…))\1`) and `\s*(\S.*)?` for `\s*(.*)`: the same matches, but a failing line no longer
  // retries every shorter name and every split of its blank run (quadratic on a hostile conda.yaml entry).
  const m = /^(?=([A-Za-z0-9_][A-Za-z0-9._-]*))\1\s*(\S.*)?$/.exec(rest);
  if (!m) return { error: `${file}${line === null ? '' : ` line ${line}`}: ${JSON.stringify(raw)} is not a conda package spec (expected e.g. numpy=1.24 or conda-forge::numpy)` };
  const spec = (m[2] ?? '').trim();
  const isPrivate = channel !== null ? isPrivateCondaChannel(channel) : privateChannel;
  return {
    name: normalizePackageName(m[1]),
    spec,
    raw,
    file,
    line,
    installer: 'conda',
    channel: channel ?? fileChannel,
    source: isPrivate ? 'private-index' : 'index',
  };
}

/** The Python version a conda `python…` spec asks for (`python=3.8.5` → `3.8.5`), when it is a plain one. */
export function condaPythonVersion(spec: string): string | null {
  const m = /^(?:==?|\s)?\s*(\d+(?:\.\d+)*)(?:\.\*)?(?:=.*)?$/.exec(spec.trim());
  return m ? m[1] : null;
}

// ---- conflicts ---------------------------------------------------------------------------------

/**
 * Build tools MLflow itself writes differently on purpose (conda.yaml `pip<=23.1.2` vs python_env.yaml
 * `pip==23.1.2`); flagging them would bury the real disagreements.
 */
const CONFLICT_IGNORED = new Set(['python', 'pip', 'setuptools', 'wheel']);

/** Canonical form of a spec for comparison: no spaces, conda `=1.2` as `==1.2`, clauses sorted. */
export function canonicalSpec(spec: string, installer: 'conda' | 'pip'): string {
  let s = spec.replace(/\s+/g, '');
  if (installer === 'conda') {
    // conda `=1.2=build` / `==1.2=build`: the build string is not part of the version.
    const m = /^==?([^=<>!~,]+)(=.*)?$/.exec(s);
    if (m) s = `==${m[1]}`;
    else if (/^\d/.test(s)) s = `==${s.replace(/=.*$/, '')}`;
  }
  return s.split(',').filter(Boolean).sort().join(',');
}

/**
 * Packages asked for with different version specs in different files (e.g. conda.yaml's pip list says
 * `mlflow==2.4` but requirements.txt `mlflow<3`). `constraintsFiles` only narrow: a constraint next to an
 * unpinned requirement is not a disagreement.
 */
export function findDependencyConflicts(dependencies: Dependency[], constraintsFiles: ReadonlySet<string> = new Set()): DependencyConflict[] {
  const byName = new Map<string, { file: string; spec: string; canonical: string; constraint: boolean }[]>();
  for (const d of dependencies) {
    if (d.source !== 'index' && d.source !== 'private-index') continue;
    if (CONFLICT_IGNORED.has(d.name)) continue;
    const list = byName.get(d.name) ?? [];
    if (!list.some((e) => e.file === d.file)) {
      list.push({ file: d.file, spec: d.spec, canonical: canonicalSpec(d.spec, d.installer), constraint: constraintsFiles.has(d.file) });
    }
    byName.set(d.name, list);
  }
  const conflicts: DependencyConflict[] = [];
  for (const [name, entries] of byName) {
    if (entries.length < 2) continue;
    const pinned = new Set(entries.filter((e) => e.canonical !== '').map((e) => e.canonical));
    const unpinned = entries.filter((e) => e.canonical === '');
    const pinnedOnlyByConstraints = entries.filter((e) => e.canonical !== '').every((e) => e.constraint);
    const disagree = pinned.size > 1 || (pinned.size === 1 && unpinned.length > 0 && !pinnedOnlyByConstraints);
    if (!disagree) continue;
    const parts = entries.map((e) => `${e.file} ${e.spec === '' ? 'leaves it unpinned' : `asks for ${e.spec}`}`);
    conflicts.push({
      name,
      entries: entries.map((e) => ({ file: e.file, spec: e.spec })),
      message:
        `${name}: ${parts.join(', ')}. The conda and virtualenv environments built from these files can end up ` +
        `with different versions; make the files agree (MLflow writes them together when the model is logged).`,
    });
  }
  return conflicts;
}

/** Two versions agree when one is a prefix of the other component-wise (`3.12` and `3.12.3`). */
export function pythonVersionsAgree(a: string, b: string): boolean {
  const pa = a.split('.');
  const pb = b.split('.');
  const n = Math.min(pa.length, pb.length);
  for (let i = 0; i < n; i++) if (pa[i] !== pb[i]) return false;
  return true;
}

/** A conflict entry when MLmodel, conda.yaml and python_env.yaml name Python versions that disagree. */
export function findPythonConflict(sources: { file: string; version: string }[]): DependencyConflict | null {
  const usable = sources.filter((s) => /^\d+(\.\d+)*$/.test(s.version));
  const disagree = usable.some((a, i) => usable.slice(i + 1).some((b) => !pythonVersionsAgree(a.version, b.version)));
  if (!disagree) return null;
  return {
    name: 'python',
    entries: usable.map((s) => ({ file: s.file, spec: s.version })),
    message:
      `python: ${usable.map((s) => `${s.file} says ${s.version}`).join(', ')}. The model was saved with one Python and ` +
      `its environment files ask for another; pickled models often fail to load across minor versions. Make them agree.`,
  };
}
