import { describe, expect, it } from 'vitest';
import { evaluateMarker, MarkerError } from './markers';
import { compareVersions, satisfiesSpecifier } from '../versions/pep440';
import { parseRequirement } from './requirement';
import { markerEnvironment } from './target';

const env = markerEnvironment({ python: '3.12', platform: 'manylinux_2_17_x86_64' });
const holds = (marker: string, extra = ''): boolean => evaluateMarker(parseRequirement(`x; ${marker}`).marker, { ...env, extra });

describe('PEP 508 markers, evaluated for the Azure target (CPython 3.12 on Linux x86_64)', () => {
  it.each([
    ['python_version >= "3.8"', true],
    ['python_version < "3.10"', false],
    ['python_version == "3.12"', true],
    ['python_version > "3.9"', true], // version comparison, not string: "3.12" < "3.9" as strings
    ['python_full_version >= "3.12.0"', true],
    ['python_version ~= "3.10"', true],
    ['sys_platform == "linux"', true],
    ['sys_platform == "win32" or os_name == "nt"', false],
    ['platform_system != "Windows" and platform_machine == "x86_64"', true],
    ['platform_machine == "aarch64"', false],
    ['implementation_name == "cpython" and platform_python_implementation == "CPython"', true],
    ['"linux" in sys_platform', true],
    ['"win" not in sys_platform', true],
    ['(python_version < "3.9" or sys_platform == "linux") and os_name == "posix"', true],
    ["python_version >= '3.13'", false],
  ])('%s → %s', (marker, ok) => {
    expect(holds(marker)).toBe(ok);
  });

  it('compares extras by normalised name, and extra is empty for top-level requirements', () => {
    expect(holds('extra == "Fast_Math"', 'fast-math')).toBe(true);
    expect(holds('extra == "fast-math"')).toBe(false);
  });

  it('refuses unknown variables instead of guessing', () => {
    expect(() => holds('os_version == "1"')).toThrow();
    const leaf = { left: 'gpu_count', operator: '==', right: '"1"' } as never;
    expect(() => evaluateMarker(leaf, env)).toThrow(MarkerError);
  });

  it('follows the target, not the laptop: aarch64 and Python 3.10', () => {
    const arm = markerEnvironment({ python: '3.10.14', platform: 'musllinux_1_2_aarch64' });
    expect(evaluateMarker(parseRequirement('x; platform_machine == "aarch64" and python_full_version == "3.10.14"').marker, arm)).toBe(true);
  });
});

describe('PEP 440 through @renovatebot/pep440 (one reading of a version in the product)', () => {
  it.each([
    ['2.0.0', '>2.0.0rc1', true], // PEP 440: only post-releases of V are excluded by >V
    ['2.0.0.post1', '>2.0.0', false],
    ['2.0.0rc1', '<2.0.0', false], // pre-releases of V are excluded by <V
    ['1.9', '<2.0.0', true],
    ['1.2.1+cpu', '==1.2.1', true],
    ['1.2.1', '==1.2.*', true],
    ['1!1.0', '>=2.0', true], // epochs
    ['1.4.5', '~=1.4.2', true],
    ['1.5.0', '~=1.4.2', false],
    ['1.2.1', '=1.2', true], // conda prefix form
    ['1.2.1', '1.2*', true],
  ])('%s satisfies %s: %s', (v, spec, ok) => {
    expect(satisfiesSpecifier(v, spec)).toBe(ok);
  });

  it('orders versions as PEP 440 does', () => {
    const sorted = ['1.0.post1', '1.0', '1.0rc1', '1.0.dev0', '1.0a1', '0.9'].sort(compareVersions);
    expect(sorted).toEqual(['0.9', '1.0.dev0', '1.0a1', '1.0rc1', '1.0', '1.0.post1']);
  });
});
