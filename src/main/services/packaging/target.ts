/**
 * The machine the package must install on: a CPython version and one PEP 600/656 platform tag
 * (`manylinux_2_17_x86_64`, `musllinux_1_2_aarch64`, `linux_x86_64`). Everything the resolver checks —
 * markers, wheel tags, Requires-Python — is evaluated for this target, never for the laptop.
 */
import type { MarkerEnvironment } from './markers';

export interface Target {
  /** `3.12` or `3.12.4`. */
  python: string;
  platform: string;
}

// The defaults live in shared/ (the Package tab's form shows them too); re-exported for the main-side callers.
export { DEFAULT_PLATFORM, DEFAULT_PYTHON } from '@shared/packaging/target-defaults';

const PLATFORM_RE = /^(?:(manylinux)_(\d+)_(\d+)|(musllinux)_(\d+)_(\d+)|(linux))_(x86_64|aarch64|i686|ppc64le|s390x|armv7l)$/;
const LEGACY: Record<string, string> = { manylinux1: 'manylinux_2_5', manylinux2010: 'manylinux_2_12', manylinux2014: 'manylinux_2_17' };

export interface ParsedPlatform {
  family: 'manylinux' | 'musllinux' | 'linux';
  major: number;
  minor: number;
  arch: string;
}

/** `manylinux2014_x86_64` is read as its PEP 600 name `manylinux_2_17_x86_64`. */
export function parsePlatform(tag: string): ParsedPlatform | null {
  const legacy = /^(manylinux1|manylinux2010|manylinux2014)_(.+)$/.exec(tag);
  const text = legacy ? `${LEGACY[legacy[1]!]}_${legacy[2]}` : tag;
  const m = PLATFORM_RE.exec(text);
  if (!m) return null;
  const arch = m[8]!;
  if (m[1]) return { family: 'manylinux', major: Number(m[2]), minor: Number(m[3]), arch };
  if (m[4]) return { family: 'musllinux', major: Number(m[5]), minor: Number(m[6]), arch };
  return { family: 'linux', major: 0, minor: 0, arch };
}

export function pythonMinor(python: string): { major: number; minor: number } | null {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(python.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

/** Validates a target; returns the problem in words, or null when it is usable. */
export function targetProblem(t: Target): string | null {
  const py = pythonMinor(t.python);
  if (!py || py.major !== 3) return `--python must be a CPython 3 version like 3.12 or 3.11.9, got "${t.python}".`;
  if (!parsePlatform(t.platform)) return `--platform must be a Linux wheel platform tag like manylinux_2_17_x86_64, musllinux_1_2_x86_64 or linux_x86_64, got "${t.platform}".`;
  return null;
}

/** PEP 508 marker values inside the target container (Linux, CPython). */
export function markerEnvironment(t: Target): MarkerEnvironment {
  const full = /^\d+\.\d+$/.test(t.python) ? `${t.python}.0` : t.python;
  const py = pythonMinor(t.python)!;
  const arch = parsePlatform(t.platform)?.arch ?? 'x86_64';
  return {
    python_version: `${py.major}.${py.minor}`,
    python_full_version: full,
    os_name: 'posix',
    sys_platform: 'linux',
    platform_release: '',
    platform_system: 'Linux',
    platform_version: '',
    platform_machine: arch,
    platform_python_implementation: 'CPython',
    implementation_name: 'cpython',
    implementation_version: full,
    extra: '',
  };
}
