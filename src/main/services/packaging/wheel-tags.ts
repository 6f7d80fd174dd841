/**
 * PEP 425 compatibility tags of a target, in pip's priority order (as `packaging.tags.sys_tags` builds
 * them for CPython on Linux), and the reason a wheel's tags do not fit — Python tag, ABI or platform,
 * named separately because each has a different fix.
 */
import { parsePlatform, pythonMinor, type Target } from './target';

export interface WheelName {
  /** Distribution name as written in the file name (underscored). */
  distribution: string;
  version: string;
  build: string | null;
  pythons: string[];
  abis: string[];
  platforms: string[];
}

/** PEP 427 file name: `{dist}-{version}(-{build})?-{python}-{abi}-{platform}.whl`, compressed tag sets split on `.`. */
export function parseWheelName(file: string): WheelName | null {
  if (!file.endsWith('.whl')) return null;
  const parts = file.slice(0, -4).split('-');
  if (parts.length !== 5 && parts.length !== 6) return null;
  const [distribution, version] = parts as [string, string];
  const build = parts.length === 6 ? parts[2]! : null;
  if (build !== null && !/^\d/.test(build)) return null;
  const [py, abi, plat] = parts.slice(-3) as [string, string, string];
  if (!distribution || !version || !py || !abi || !plat) return null;
  return { distribution, version, build, pythons: py.split('.'), abis: abi.split('.'), platforms: plat.split('.') };
}

/** Platforms a target accepts, best first: manylinux_2_N down to 2_5 (+ legacy aliases), or musllinux_1_N down to 1_0, then linux_<arch>. */
export function compatiblePlatforms(platform: string): string[] {
  const p = parsePlatform(platform);
  if (!p) return [];
  const out: string[] = [];
  if (p.family === 'manylinux') {
    const floor = p.arch === 'x86_64' || p.arch === 'i686' ? 5 : 17;
    for (let minor = p.minor; minor >= floor; minor--) {
      out.push(`manylinux_${p.major}_${minor}_${p.arch}`);
      if (minor === 17) out.push(`manylinux2014_${p.arch}`);
      if (minor === 12) out.push(`manylinux2010_${p.arch}`);
      if (minor === 5) out.push(`manylinux1_${p.arch}`);
    }
  } else if (p.family === 'musllinux') {
    for (let minor = p.minor; minor >= 0; minor--) out.push(`musllinux_${p.major}_${minor}_${p.arch}`);
  }
  out.push(`linux_${p.arch}`);
  return out;
}

/** Every `python-abi-platform` tag the target installs, highest priority first. */
export function compatibleTags(target: Target): string[] {
  const py = pythonMinor(target.python)!;
  const cp = `cp${py.major}${py.minor}`;
  const plats = compatiblePlatforms(target.platform);
  const tags: string[] = [];
  for (const plat of plats) {
    tags.push(`${cp}-${cp}-${plat}`, `${cp}-abi3-${plat}`, `${cp}-none-${plat}`);
    for (let m = py.minor - 1; m >= 2; m--) tags.push(`cp${py.major}${m}-abi3-${plat}`);
  }
  const generic = [`py${py.major}${py.minor}`, `py${py.major}`];
  for (let m = py.minor - 1; m >= 0; m--) generic.push(`py${py.major}${m}`);
  for (const plat of plats) for (const g of generic) tags.push(`${g}-none-${plat}`);
  tags.push(`${cp}-none-any`);
  for (const g of generic) tags.push(`${g}-none-any`);
  return tags;
}

export interface TagFit {
  /** Priority of the best matching tag (lower is better), or null when none matches. */
  rank: number | null;
  /** Why it does not fit, when it does not: the first of python tag, ABI, platform that cannot match. */
  reason: string | null;
}

/** Ranks a wheel's tags against the target's, or says which part (python tag / ABI / platform) rules it out. */
export function tagFit(wheel: WheelName, target: Target, ranked: Map<string, number>): TagFit {
  let best: number | null = null;
  for (const p of wheel.pythons) for (const a of wheel.abis) for (const pl of wheel.platforms) {
    const r = ranked.get(`${p}-${a}-${pl}`);
    if (r !== undefined && (best === null || r < best)) best = r;
  }
  if (best !== null) return { rank: best, reason: null };
  const py = pythonMinor(target.python)!;
  const known = [...ranked.keys()].map((k) => k.split('-') as [string, string, string]);
  const tagText = `${wheel.pythons.join('.')}-${wheel.abis.join('.')}-${wheel.platforms.join('.')}`;
  // A cp3Y tag (Y ≠ target) only fits through abi3; without abi3 the wheel was built for another Python.
  const pythonFits = known.some(([p, a]) => wheel.pythons.includes(p) && (p === `cp${py.major}${py.minor}` || p.startsWith('py') || (a === 'abi3' && wheel.abis.includes('abi3'))));
  if (!pythonFits) {
    return { rank: null, reason: `Python tag ${wheel.pythons.join('.')} does not run on CPython ${py.major}.${py.minor} (wheel tags ${tagText})` };
  }
  if (!known.some(([p, a]) => wheel.pythons.includes(p) && wheel.abis.includes(a))) {
    return { rank: null, reason: `ABI ${wheel.abis.join('.')} is not an ABI of CPython ${py.major}.${py.minor} (it accepts cp${py.major}${py.minor}, abi3, none; wheel tags ${tagText})` };
  }
  return { rank: null, reason: `platform ${wheel.platforms.join('.')} does not run on ${target.platform} (wheel tags ${tagText})` };
}
