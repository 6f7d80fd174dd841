import { describe, expect, it } from 'vitest';
import { parsePlatform, targetProblem } from './target';
import { compatiblePlatforms, compatibleTags, parseWheelName } from './wheel-tags';

describe('PEP 427 wheel names and PEP 425 tags', () => {
  it('reads build tags and compressed tag sets', () => {
    expect(parseWheelName('numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl')).toEqual({
      distribution: 'numpy', version: '1.26.4', build: null, pythons: ['cp312'], abis: ['cp312'], platforms: ['manylinux_2_17_x86_64', 'manylinux2014_x86_64'],
    });
    expect(parseWheelName('six-1.16.0-1-py2.py3-none-any.whl')).toMatchObject({ build: '1', pythons: ['py2', 'py3'] });
    expect(parseWheelName('not-a-wheel.tar.gz')).toBeNull();
    expect(parseWheelName('x-1.0-py3-none.whl')).toBeNull();
  });

  it('lists platforms best first: the glibc floor down to manylinux1 for x86_64, 2_17 for aarch64, musl separately', () => {
    const x86 = compatiblePlatforms('manylinux_2_28_x86_64');
    expect(x86.slice(0, 2)).toEqual(['manylinux_2_28_x86_64', 'manylinux_2_27_x86_64']);
    expect(x86).toContain('manylinux2014_x86_64');
    expect(x86).toContain('manylinux1_x86_64');
    expect(x86.at(-1)).toBe('linux_x86_64');
    expect(x86.some((p) => p.startsWith('musllinux'))).toBe(false);
    expect(compatiblePlatforms('manylinux_2_17_aarch64')).toEqual(['manylinux_2_17_aarch64', 'manylinux2014_aarch64', 'linux_aarch64']);
    expect(compatiblePlatforms('musllinux_1_2_x86_64')).toEqual(['musllinux_1_2_x86_64', 'musllinux_1_1_x86_64', 'musllinux_1_0_x86_64', 'linux_x86_64']);
    expect(parsePlatform('manylinux2010_i686')).toEqual({ family: 'manylinux', major: 2, minor: 12, arch: 'i686' });
  });

  it('orders tags like pip: exact interpreter ABI first, abi3 for older CPythons, pure Python last', () => {
    const tags = compatibleTags({ python: '3.12', platform: 'manylinux_2_17_x86_64' });
    expect(tags[0]).toBe('cp312-cp312-manylinux_2_17_x86_64');
    expect(tags.indexOf('cp38-abi3-manylinux_2_17_x86_64')).toBeGreaterThan(tags.indexOf('cp312-abi3-manylinux_2_17_x86_64'));
    expect(tags.indexOf('py3-none-any')).toBeGreaterThan(tags.indexOf('cp312-none-any'));
    expect(tags).not.toContain('cp313-cp313-manylinux_2_17_x86_64');
    expect(tags).not.toContain('cp311-cp311-manylinux_2_17_x86_64');
  });

  it('refuses targets it cannot reason about, saying which option is wrong', () => {
    expect(targetProblem({ python: '2.7', platform: 'manylinux_2_17_x86_64' })).toMatch(/--python/);
    expect(targetProblem({ python: '3.12', platform: 'win_amd64' })).toMatch(/--platform must be a Linux wheel platform tag/);
    expect(targetProblem({ python: '3.12.4', platform: 'musllinux_1_2_aarch64' })).toBeNull();
  });
});
