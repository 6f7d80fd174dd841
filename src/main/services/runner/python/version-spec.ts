/**
 * Just enough of PEP 440 to say whether an installed package satisfies a model's pin: release numbers
 * compared component-wise (`1.2` == `1.2.0`), pre-releases ordered before their release, `==1.2.*`
 * prefix matches, `~=` compatible releases, and comma-joined clauses. conda's `=1.2` (a prefix match) is
 * read too. Anything else is reported as not comparable rather than guessed.
 */

interface Version {
  release: number[];
  /** Pre-release rank: releases sort after their a/b/rc pre-releases; dev releases before everything. */
  pre: [number, number];
}

const VERSION_RE = /^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:[-_.]?(?:post|rev|r)[-_.]?\d*)?(?:[-_.]?dev[-_.]?(\d*))?(?:\+[a-z0-9.]+)?$/i;

export function parseVersion(text: string): Version | null {
  const m = VERSION_RE.exec(text.trim());
  if (!m) return null;
  const release = m[1]!.split('.').map(Number);
  const preKind = m[2]?.toLowerCase();
  const rank = preKind === undefined ? (m[4] !== undefined ? -1 : 3) : preKind.startsWith('a') ? 0 : preKind.startsWith('b') ? 1 : 2;
  return { release, pre: [rank, Number(m[3] || 0)] };
}

export function compareVersions(a: Version, b: Version): number {
  const n = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) {
    const d = (a.release[i] ?? 0) - (b.release[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return Math.sign(a.pre[0] - b.pre[0]) || Math.sign(a.pre[1] - b.pre[1]);
}

/** Whether `installed` satisfies `spec` (`==1.2.2`, `>=1,<2`, `~=1.4`, conda `=1.2`); null when either is unreadable. */
export function satisfies(installed: string, spec: string): boolean | null {
  const v = parseVersion(installed);
  if (!v) return null;
  const clauses = spec.replace(/\s+/g, '').split(',').filter(Boolean);
  if (clauses.length === 0) return true;
  for (const clause of clauses) {
    const m = /^(===|==|!=|~=|>=|<=|>|<|=)?(.+)$/.exec(clause);
    if (!m) return null;
    const op = m[1] ?? '==';
    const target = m[2]!;
    if (op === '===') {
      if (installed.trim() !== target) return false;
      continue;
    }
    // `==1.2.*` / conda `=1.2` / conda bare `1.2*`: prefix match on release components.
    const wildcard = target.endsWith('.*') || target.endsWith('*');
    if (wildcard || op === '=') {
      const prefix = parseVersion(target.replace(/\.?\*$/, ''));
      if (!prefix) return null;
      const match = prefix.release.every((x, i) => (v.release[i] ?? 0) === x);
      if ((op === '!=') === match) return false;
      continue;
    }
    const t = parseVersion(target);
    if (!t) return null;
    const c = compareVersions(v, t);
    const ok =
      op === '==' ? c === 0
      : op === '!=' ? c !== 0
      : op === '>=' ? c >= 0
      : op === '<=' ? c <= 0
      : op === '>' ? c > 0
      : op === '<' ? c < 0
      : /* ~= */ c >= 0 && t.release.slice(0, Math.max(1, t.release.length - 1)).every((x, i) => (v.release[i] ?? 0) === x);
    if (!ok) return false;
  }
  return true;
}
