/**
 * Offline resolution: proves that every requirement of the environment — and every requirement of those
 * requirements, read from each chosen wheel's METADATA — is satisfied by a wheel in the wheelhouse that
 * installs on the target (PEP 440 specifiers, PEP 508 markers for the target, extras, PEP 425 tags,
 * Requires-Python). What cannot be satisfied is a *gap*, named with the chain of requirements that needs it.
 *
 * Strategy: breadth-first, newest fitting version first (pip's preference), constraints accumulated per
 * project. There is no backtracking: when a later requirement excludes a version already chosen, that is
 * reported as a `conflict` gap naming both chains rather than silently searching — the user then pins the
 * version in the wheelhouse (or in the model's requirements) and runs again.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RequirementCheck, ResolutionGap, ResolutionProof, ResolvedPackage } from '@shared/packaging/package-report';
import { sha256File, type Sha256Memo } from '../files/sha256-file';
import { evaluateMarker } from './markers';
import { compareVersions, parseVersion, satisfiesSpecifier, specifierMentionsPrerelease } from '../versions/pep440';
import { normalizeName, parseRequirement, requirementLabel, RequirementSyntaxError, type Requirement } from './requirement';
import { markerEnvironment, type Target } from './target';
import { readWheelMetadata, WheelReadError, type WheelMetadata } from './wheel-file';
import { compatibleTags, parseWheelName, tagFit, type WheelName } from './wheel-tags';
import { pipDownloadCommand } from './pip-command';

/** A root requirement and where it came from (`requirements.txt:3`, `inference image`). */
export interface RootRequirement {
  raw: string;
  source: string;
}

export interface WheelCandidate {
  file: string;
  path: string;
  name: WheelName;
  project: string;
}

/** The `.whl` files of a folder (not recursive), by project; other files are ignored. */
export async function scanWheelhouse(dir: string | null): Promise<WheelCandidate[]> {
  if (dir === null) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  const out: WheelCandidate[] = [];
  for (const e of entries) {
    if (!e.isFile() || !e.name.endsWith('.whl')) continue;
    const name = parseWheelName(e.name);
    if (!name) continue;
    out.push({ file: e.name, path: join(dir, e.name), name, project: normalizeName(name.distribution) });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

interface Chosen {
  candidate: WheelCandidate;
  metadata: WheelMetadata;
  tag: string;
  extras: Set<string>;
  requiredBy: string[][];
  constraints: { specifier: string; chain: string[] }[];
}

interface Pending {
  req: Requirement;
  chain: string[];
  /** Extras of the parent that activated this Requires-Dist; '' for roots. */
  activeExtras: string[];
}

export interface ResolveOptions {
  signal?: AbortSignal;
  /** How a chosen wheel is hashed; a build passes one Sha256Memo to all its resolutions so each wheel is read once. */
  hashes?: Pick<Sha256Memo, 'sha256'>;
  /** The folder a missing wheel's `pip download -d` names: the chosen wheel folder, else a concrete default. */
  wheelsDir?: string;
}

export async function resolveOffline(roots: RootRequirement[], wheels: WheelCandidate[], target: Target, options: ResolveOptions = {}): Promise<ResolutionProof> {
  const env = markerEnvironment(target);
  const ranked = new Map(compatibleTags(target).map((t, i) => [t, i] as const));
  const byProject = new Map<string, WheelCandidate[]>();
  for (const w of wheels) byProject.set(w.project, [...(byProject.get(w.project) ?? []), w]);
  const chosen = new Map<string, Chosen>();
  const failed = new Set<string>();
  const gaps: ResolutionGap[] = [];
  const checks: RequirementCheck[] = [];
  const notes: string[] = [];
  const queue: Pending[] = [];

  for (const root of roots) {
    try {
      const req = parseRequirement(root.raw);
      queue.push({ req, chain: [`${root.source}: ${requirementLabel(req)}`], activeExtras: [''] });
    } catch (err) {
      const message = err instanceof RequirementSyntaxError ? err.message : String(err);
      gaps.push({ kind: 'unsupported-requirement', project: '', requirement: root.raw, chain: [root.source], message, rejected: [] });
      checks.push({ requirement: root.raw, chain: [root.source], status: 'gap', note: message });
    }
  }

  const gap = (g: Omit<ResolutionGap, 'rejected'> & { rejected?: ResolutionGap['rejected'] }): void => {
    gaps.push({ rejected: [], ...g });
    checks.push({ requirement: g.requirement, chain: g.chain, status: 'gap', note: g.message });
  };

  while (queue.length > 0) {
    options.signal?.throwIfAborted();
    const { req, chain, activeExtras } = queue.shift()!;
    const label = requirementLabel(req);
    const applies = activeExtras.some((extra) => evaluateMarker(req.marker, { ...env, extra }));
    if (!applies) {
      checks.push({ requirement: req.raw, chain, status: 'excluded-by-marker', note: `\`${req.markerText}\` is false on CPython ${env.python_full_version} ${target.platform}: not installed, no wheel needed.` });
      continue;
    }
    const existing = chosen.get(req.name);
    if (existing) {
      existing.requiredBy.push(chain);
      existing.constraints.push({ specifier: req.specifier, chain });
      if (satisfiesSpecifier(existing.metadata.version, req.specifier) === false) {
        const first = existing.constraints[0]!;
        gap({
          kind: 'conflict', project: req.name, requirement: label, chain,
          message: `${label} excludes ${existing.metadata.name} ${existing.metadata.version}, chosen earlier for ${first.chain.join(' → ')}. Put one version that satisfies both in the wheelhouse, or pin it in the model's requirements.`,
        });
        continue;
      }
      const newExtras = req.extras.filter((x) => !existing.extras.has(x));
      if (newExtras.length > 0) enqueueDependencies(existing, newExtras, chain);
      checks.push({ requirement: req.raw, chain, status: 'satisfied', note: `${existing.candidate.file}` });
      continue;
    }
    if (failed.has(req.name)) {
      gap({ kind: 'missing-wheel', project: req.name, requirement: label, chain, message: `${label}: no usable wheel (see the first gap for ${req.name}).` });
      continue;
    }
    const candidates = byProject.get(req.name) ?? [];
    if (candidates.length === 0) {
      failed.add(req.name);
      gap({ kind: 'missing-wheel', project: req.name, requirement: label, chain, message: `No wheel of ${req.displayName} in the wheelhouse. Add one for CPython ${env.python_version} ${target.platform} (e.g. \`${pipDownloadCommand([label], { python: env.python_version, platform: target.platform }, options.wheelsDir ?? 'wheels')}\`).` });
      continue;
    }
    const picked = await pick(req, candidates, chain, ranked);
    if (!picked) continue;
    const entry: Chosen = { ...picked, extras: new Set(), requiredBy: [chain], constraints: [{ specifier: req.specifier, chain }] };
    chosen.set(req.name, entry);
    checks.push({ requirement: req.raw, chain, status: 'satisfied', note: picked.candidate.file });
    enqueueDependencies(entry, ['', ...req.extras], chain);
  }

  function enqueueDependencies(entry: Chosen, extras: string[], chain: string[]): void {
    const provided = new Set(entry.metadata.providesExtra.map(normalizeName));
    const real = extras.filter((x) => x === '' || !entry.extras.has(x));
    for (const x of real) {
      if (x !== '' && !provided.has(x)) {
        notes.push(`${entry.metadata.name} ${entry.metadata.version} does not provide the extra "${x}" (asked by ${chain.join(' → ')}); pip installs it without that extra.`);
      }
      if (x !== '') entry.extras.add(x);
    }
    const parent = `${entry.metadata.name} ${entry.metadata.version}`;
    for (const line of entry.metadata.requiresDist) {
      let dep: Requirement;
      try {
        dep = parseRequirement(line);
      } catch (err) {
        gap({ kind: 'unsupported-requirement', project: '', requirement: line, chain: [...chain, `${parent} requires ${line}`], message: err instanceof Error ? err.message : String(err) });
        continue;
      }
      // A Requires-Dist that depends on an extra only counts when one of the requested extras activates it.
      const activeExtras = real.filter((x) => evaluateMarker(dep.marker, { ...env, extra: x }));
      if (activeExtras.length === 0) {
        if (real.includes('')) checks.push({ requirement: line, chain: [...chain, `${parent} requires ${line}`], status: 'excluded-by-marker', note: `\`${dep.markerText}\` is false for the target${extras.some(Boolean) ? ` and extras ${extras.filter(Boolean).join(', ')}` : ''}: not installed.` });
        continue;
      }
      queue.push({ req: dep, chain: [...chain, `${parent} requires ${requirementLabel(dep)}`], activeExtras });
    }
  }

  async function pick(req: Requirement, candidates: WheelCandidate[], chain: string[], rankedTags: Map<string, number>): Promise<{ candidate: WheelCandidate; metadata: WheelMetadata; tag: string } | null> {
    const label = requirementLabel(req);
    const rejected: ResolutionGap['rejected'] = [];
    const allowPre = specifierMentionsPrerelease(req.specifier) || candidates.every((c) => parseVersion(c.name.version)?.is_prerelease);
    const versionOk = candidates.filter((c) => {
      const v = parseVersion(c.name.version);
      if (!v) { rejected.push({ wheel: c.file, reason: `version "${c.name.version}" is not PEP 440` }); return false; }
      if (v.is_prerelease && !allowPre) { rejected.push({ wheel: c.file, reason: `${c.name.version} is a pre-release and ${label} does not ask for one` }); return false; }
      if (satisfiesSpecifier(c.name.version, req.specifier) !== true) { rejected.push({ wheel: c.file, reason: `${c.name.version} does not satisfy ${req.specifier}` }); return false; }
      return true;
    });
    if (versionOk.length === 0) {
      failed.add(req.name);
      gap({ kind: 'no-matching-version', project: req.name, requirement: label, chain, rejected, message: `No wheel of ${req.displayName} satisfies ${req.specifier || 'the requirement'} (the wheelhouse has ${[...new Set(candidates.map((c) => c.name.version))].join(', ')}).` });
      return null;
    }
    const fitting = versionOk
      .map((c) => ({ c, fit: tagFit(c.name, target, rankedTags) }))
      .filter(({ c, fit }) => {
        if (fit.rank === null) rejected.push({ wheel: c.file, reason: fit.reason ?? 'tags do not fit' });
        return fit.rank !== null;
      })
      .sort((a, b) => compareVersions(b.c.name.version, a.c.name.version) || a.fit.rank! - b.fit.rank!);
    if (fitting.length === 0) {
      failed.add(req.name);
      gap({ kind: 'incompatible-wheel', project: req.name, requirement: label, chain, rejected, message: `No wheel of ${label} installs on CPython ${env.python_version} ${target.platform}: ${rejected.filter((r) => versionOk.some((v) => v.file === r.wheel)).map((r) => `${r.wheel}: ${r.reason}`).join('; ')}.` });
      return null;
    }
    let requiresPythonGap: string | null = null;
    for (const { c, fit } of fitting) {
      let metadata: WheelMetadata;
      try {
        metadata = await readWheelMetadata(c.path);
      } catch (err) {
        const why = err instanceof WheelReadError ? err.message : String(err);
        rejected.push({ wheel: c.file, reason: `unreadable: ${why}` });
        gap({ kind: 'unreadable-wheel', project: req.name, requirement: label, chain, rejected: [{ wheel: c.file, reason: why }], message: `${c.file} is not a readable wheel: ${why}.` });
        continue;
      }
      if (normalizeName(metadata.name) !== req.name || compareVersions(metadata.version, c.name.version) !== 0) {
        const why = `its METADATA says ${metadata.name} ${metadata.version}, its file name ${c.name.distribution} ${c.name.version}`;
        rejected.push({ wheel: c.file, reason: why });
        gap({ kind: 'unreadable-wheel', project: req.name, requirement: label, chain, rejected: [{ wheel: c.file, reason: why }], message: `${c.file} is inconsistent: ${why}.` });
        continue;
      }
      if (metadata.requiresPython && satisfiesSpecifier(env.python_full_version, metadata.requiresPython) === false) {
        const why = `Requires-Python ${metadata.requiresPython} excludes Python ${env.python_full_version}`;
        rejected.push({ wheel: c.file, reason: why });
        requiresPythonGap ??= `${c.file}: ${why}`;
        continue;
      }
      const tag = [...rankedTags.entries()].find(([, r]) => r === fit.rank)![0];
      return { candidate: c, metadata, tag };
    }
    failed.add(req.name);
    if (requiresPythonGap) gap({ kind: 'requires-python', project: req.name, requirement: label, chain, rejected, message: `No wheel of ${label} supports Python ${env.python_full_version}: ${requiresPythonGap}.` });
    return null;
  }

  const packages: ResolvedPackage[] = [];
  for (const entry of [...chosen.values()].sort((a, b) => a.candidate.project.localeCompare(b.candidate.project))) {
    options.signal?.throwIfAborted();
    packages.push({
      project: entry.candidate.project,
      version: entry.metadata.version,
      wheel: entry.candidate.file,
      sha256: await (options.hashes ? options.hashes.sha256(entry.candidate.path, options.signal) : sha256File(entry.candidate.path, options.signal)),
      tag: entry.tag,
      extras: [...entry.extras].sort(),
      requiredBy: entry.requiredBy,
    });
  }
  const used = new Set(packages.map((p) => p.wheel));
  if (roots.length === 0) notes.push('The environment lists no pip requirements.');
  return {
    target: { python: target.python, platform: target.platform },
    ok: gaps.length === 0,
    packages,
    requirements: checks,
    gaps,
    unusedWheels: wheels.map((w) => w.file).filter((f) => !used.has(f)),
    notes,
  };
}
