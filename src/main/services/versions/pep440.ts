/**
 * The one reading of a Python version in Preflight (PEP 440), over `@renovatebot/pep440` (Renovate's
 * implementation, millions of installs a week). Readiness rules, the runner's "installed satisfies the
 * model's pin" check and the offline resolver all go through here, so a version means the same thing
 * everywhere.
 *
 * Two things are added on top of the library, both on purpose:
 * - exclusive comparisons `>V` / `<V` follow PEP 440 exactly: the library refuses any candidate whose
 *   release equals V's (so `2.0.0` would not satisfy `>2.0.0rc1`); PEP 440 only excludes post-releases
 *   of V (for `>`) and pre-releases of V (for `<`);
 * - conda's match spec forms seen in `conda.yaml` (`=1.2` prefix match, bare `1.2*`, `1.2`) are read as
 *   their PEP 440 equivalents.
 * Pre-release *policy* (pip skips them unless asked) belongs to the resolver, not to "does V match S",
 * so containment here always allows pre-releases.
 */
import * as pep440 from '@renovatebot/pep440';

export interface ExplainedVersion {
  epoch: number;
  release: number[];
  pre: [string, number] | null;
  post: number | null;
  dev: number | null;
  local: string | null;
  public: string;
  is_prerelease: boolean;
  is_postrelease: boolean;
  is_devrelease: boolean;
}

/** The parts of a PEP 440 version, or null when it is not one. */
export function parseVersion(text: string): ExplainedVersion | null {
  return (pep440.explain(text.trim()) as ExplainedVersion | null) ?? null;
}

export function isValidVersion(text: string): boolean {
  return parseVersion(text) !== null;
}

/** PEP 440 ordering (`1.2` == `1.2.0`, `2.0rc1` < `2.0` < `2.0.post1`); unreadable versions sort first. */
export function compareVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) return va ? 1 : vb ? -1 : 0;
  return Math.sign(pep440.compare(a.trim(), b.trim()));
}

/** Release numbers of a version (`2.5.1.dev0` → [2, 5, 1]); null when it does not start with one. */
export function releaseOf(version: string): number[] | null {
  const parsed = parseVersion(version);
  if (parsed) return parsed.release;
  const m = /^\s*v?(\d+(?:\.\d+)*)/.exec(version);
  return m?.[1] ? m[1].split('.').map(Number) : null;
}

// `\s*(\S.*)` = `\s*(.+)` on a trimmed clause (the blanks all go to `\s*`); with `.+` the two could split a blank run
// every way when a line break follows (quadratic on a hostile spec).
const CLAUSE_RE = /^(===|==|!=|~=|>=|<=|>|<|=)?\s*(\S.*)$/;

/** One clause in PEP 440 form: conda's `=1.2` / `1.2*` become `==1.2.*`, a bare `1.2` becomes `==1.2`. */
function normalizeClause(clause: string): { op: string; version: string } | null {
  const m = CLAUSE_RE.exec(clause.trim());
  if (!m?.[2]) return null;
  let op = m[1] ?? '==';
  let version = m[2].trim();
  if (op === '=' || (m[1] === undefined && version.endsWith('*'))) {
    op = '==';
    version = `${version.replace(/\.?\*$/, '')}.*`;
  }
  return { op, version };
}

/** `>V` / `<V` as `packaging.specifiers` reads them (base versions compared for the post/pre exclusions). */
function exclusiveOk(op: '>' | '<', candidate: ExplainedVersion, bound: string): boolean | null {
  const b = parseVersion(bound);
  if (!b) return null;
  const c = Math.sign(pep440.compare(candidate.public, b.public));
  const sameRelease = candidate.epoch === b.epoch && pep440.compare(candidate.release.join('.'), b.release.join('.')) === 0;
  if (op === '>') {
    if (c <= 0) return false;
    // ">V MUST NOT allow a post-release of the given version unless V itself is a post release."
    return !(sameRelease && candidate.is_postrelease && !b.is_postrelease);
  }
  if (c >= 0) return false;
  // "<V MUST NOT allow a pre-release of the specified version unless V itself is a pre-release."
  if (sameRelease && candidate.is_prerelease && !b.is_prerelease) return false;
  return true;
}

/**
 * Whether `version` satisfies `specifier` (`==1.2.2`, `>=1,<2`, `~=1.4`, `==1.2.*`, `!=1.3`, conda `=1.2`;
 * empty = anything). Null when either is unreadable (reported as "cannot tell", never guessed).
 */
export function satisfiesSpecifier(version: string, specifier: string): boolean | null {
  const candidate = parseVersion(version);
  if (!candidate) return null;
  const clauses = specifier.split(',').map((c) => c.trim()).filter(Boolean);
  for (const raw of clauses) {
    const clause = normalizeClause(raw);
    if (!clause) return null;
    if (clause.op === '>' || clause.op === '<') {
      const ok = exclusiveOk(clause.op, candidate, clause.version);
      if (ok === null) return null;
      if (!ok) return false;
      continue;
    }
    const text = `${clause.op}${clause.version}`;
    if (clause.op === '===') {
      if (version.trim() !== clause.version) return false;
      continue;
    }
    if (!pep440.validRange(text)) return null;
    if (!pep440.satisfies(version.trim(), text, { prereleases: true })) return false;
  }
  return true;
}

/** Whether a specifier names pre-releases itself (then pip allows pre-release candidates for it). */
export function specifierMentionsPrerelease(specifier: string): boolean {
  return specifier
    .split(',')
    .map((c) => normalizeClause(c))
    .some((c) => c !== null && parseVersion(c.version.replace(/\.\*$/, ''))?.is_prerelease === true);
}

/** Whether every clause of a specifier reads as PEP 440 (conda forms included). */
export function isValidSpecifier(specifier: string): boolean {
  return specifier
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean)
    .every((c) => {
      const n = normalizeClause(c);
      return n !== null && (n.op === '===' || pep440.validRange(`${n.op}${n.version}`));
    });
}
