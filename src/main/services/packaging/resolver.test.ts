import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWheel, type WheelSpec } from '../../../../test/support/wheels';
import { resolveOffline, scanWheelhouse, type RootRequirement } from './resolver';
import type { Target } from './target';

const target: Target = { python: '3.12', platform: 'manylinux_2_17_x86_64' };
const MANY = 'manylinux_2_17_x86_64.manylinux2014_x86_64';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-wheels-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function resolve(roots: string[], wheels: WheelSpec[], t: Target = target, wheelsDir?: string) {
  for (const w of wheels) await buildWheel(dir, w);
  const req: RootRequirement[] = roots.map((raw, i) => ({ raw, source: `requirements.txt:${i + 1}` }));
  return resolveOffline(req, await scanWheelhouse(dir), t, { wheelsDir });
}

const base: WheelSpec[] = [
  { name: 'mlflow-skinny', version: '2.16.2', requiresDist: ['numpy<2', 'packaging'], requiresPython: '>=3.8' },
  { name: 'numpy', version: '1.26.4', tag: `cp312-cp312-${MANY}`, requiresPython: '>=3.9' },
  { name: 'numpy', version: '2.1.0', tag: `cp312-cp312-${MANY}` },
  { name: 'packaging', version: '24.1' },
];

describe('offline resolution over a wheelhouse the test builds', () => {
  it('passes when every requirement and transitive Requires-Dist has a fitting wheel, choosing the newest allowed version', async () => {
    const proof = await resolve(['mlflow-skinny==2.16.2'], base);
    expect(proof.gaps).toEqual([]);
    expect(proof.ok).toBe(true);
    expect(proof.packages.map((p) => `${p.project} ${p.version} ${p.tag}`)).toEqual([
      'mlflow-skinny 2.16.2 py3-none-any',
      'numpy 1.26.4 cp312-cp312-manylinux_2_17_x86_64', // numpy<2 from mlflow's METADATA rules out 2.1.0
      'packaging 24.1 py3-none-any',
    ]);
    expect(proof.packages.find((p) => p.project === 'numpy')!.requiredBy[0]).toEqual(['requirements.txt:1: mlflow-skinny==2.16.2', 'mlflow-skinny 2.16.2 requires numpy<2']);
    expect(proof.packages[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(proof.unusedWheels).toEqual(['numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl']);
  });

  it('names a missing wheel with the requirement chain that needs it', async () => {
    const proof = await resolve(['mlflow-skinny==2.16.2'], base.filter((w) => w.name !== 'packaging'));
    expect(proof.ok).toBe(false);
    expect(proof.gaps).toHaveLength(1);
    expect(proof.gaps[0]).toMatchObject({ kind: 'missing-wheel', project: 'packaging', chain: ['requirements.txt:1: mlflow-skinny==2.16.2', 'mlflow-skinny 2.16.2 requires packaging'] });
    expect(proof.gaps[0]!.message).toMatch(/pip download packaging --only-binary=:all: --python-version 3\.12 --platform manylinux_2_17_x86_64 -d wheels`/);
    // The folder the user chose is where the command downloads to (a requirement with a marker stays one shell word).
    await rm(dir, { recursive: true, force: true });
    const into = await resolve(['mlflow-skinny==2.16.2'], base.filter((w) => w.name !== 'packaging'), target, '/data/my wheels');
    expect(into.gaps[0]!.message).toContain("-d '/data/my wheels'`");
  });

  it('rejects a wheel built for another Python (python tag)', async () => {
    const proof = await resolve(['numpy==1.26.4'], [{ name: 'numpy', version: '1.26.4', tag: `cp311-cp311-${MANY}` }]);
    expect(proof.gaps[0]).toMatchObject({ kind: 'incompatible-wheel', project: 'numpy' });
    expect(proof.gaps[0]!.message).toMatch(/Python tag cp311 does not run on CPython 3\.12/);
  });

  it('rejects a wheel with an ABI the target does not have', async () => {
    const proof = await resolve(['numpy'], [{ name: 'numpy', version: '1.26.4', tag: `cp312-cp312d-${MANY}` }]);
    expect(proof.gaps[0]!.kind).toBe('incompatible-wheel');
    expect(proof.gaps[0]!.message).toMatch(/ABI cp312d is not an ABI of CPython 3\.12/);
  });

  it('rejects wheels for another platform: macOS, musllinux on glibc, and a newer glibc than the target', async () => {
    const proof = await resolve(['a', 'b', 'c'], [
      { name: 'a', version: '1.0', tag: 'cp312-cp312-macosx_11_0_arm64' },
      { name: 'b', version: '1.0', tag: 'cp312-cp312-musllinux_1_2_x86_64' },
      { name: 'c', version: '1.0', tag: 'cp312-cp312-manylinux_2_28_x86_64' },
    ]);
    expect(proof.gaps.map((g) => [g.project, g.kind])).toEqual([['a', 'incompatible-wheel'], ['b', 'incompatible-wheel'], ['c', 'incompatible-wheel']]);
    for (const g of proof.gaps) expect(g.message).toMatch(/platform .* does not run on manylinux_2_17_x86_64/);
    // The same manylinux_2_28 wheel is fine for a newer-glibc target, and abi3 / older manylinux fit too.
    const newer = await resolveOffline([{ raw: 'c', source: 'x' }, { raw: 'd', source: 'x' }], await scanWheelhouse(dir).then(async (w) => [...w, ...(await scanWheelhouse(await wheelDir([{ name: 'd', version: '1.0', tag: 'cp39-abi3-manylinux1_x86_64' }])))]), { python: '3.12', platform: 'manylinux_2_35_x86_64' });
    expect(newer.gaps).toEqual([]);
    expect(newer.packages.map((p) => p.tag)).toEqual(['cp312-cp312-manylinux_2_28_x86_64', 'cp39-abi3-manylinux1_x86_64']);
  });

  it('fails for an unmet transitive requirement (the only numpy wheel is 2.x, mlflow needs <2)', async () => {
    const proof = await resolve(['mlflow-skinny==2.16.2'], base.filter((w) => !(w.name === 'numpy' && w.version === '1.26.4')));
    expect(proof.gaps).toHaveLength(1);
    expect(proof.gaps[0]).toMatchObject({ kind: 'no-matching-version', project: 'numpy', requirement: 'numpy<2' });
    expect(proof.gaps[0]!.chain).toEqual(['requirements.txt:1: mlflow-skinny==2.16.2', 'mlflow-skinny 2.16.2 requires numpy<2']);
    expect(proof.gaps[0]!.rejected).toEqual([{ wheel: expect.stringContaining('numpy-2.1.0') as string, reason: '2.1.0 does not satisfy <2' }]);
  });

  it('does not need a wheel for a requirement whose marker is false on the target, and does for one that is true', async () => {
    const proof = await resolve(
      ['pywin32>=300; sys_platform == "win32"', 'tomli; python_version < "3.11"', 'uvloop; sys_platform == "linux" and platform_machine == "x86_64"'],
      [{ name: 'uvloop', version: '0.19.0', tag: `cp312-cp312-${MANY}` }],
    );
    expect(proof.ok).toBe(true);
    expect(proof.requirements.map((r) => r.status)).toEqual(['excluded-by-marker', 'excluded-by-marker', 'satisfied']);
    expect(proof.requirements[0]!.note).toMatch(/sys_platform == "win32"` is false on CPython 3\.12\.0/);
    // On Python 3.10 the tomli marker holds, and its wheel is now missing.
    const old = await resolveOffline([{ raw: 'tomli; python_version < "3.11"', source: 'r' }], [], { python: '3.10', platform: 'manylinux_2_17_x86_64' });
    expect(old.gaps.map((g) => g.kind)).toEqual(['missing-wheel']);
  });

  it('follows extras: only the extra that is asked for pulls in its dependencies', async () => {
    const wheels: WheelSpec[] = [
      { name: 'fastlib', version: '1.0', providesExtra: ['speed', 'docs'], requiresDist: ['speedup>=2; extra == "speed"', 'sphinx; extra == "docs"', 'packaging'] },
      { name: 'speedup', version: '2.1' },
      { name: 'packaging', version: '24.1' },
    ];
    const plain = await resolve(['fastlib'], wheels);
    expect(plain.ok).toBe(true);
    expect(plain.packages.map((p) => p.project)).toEqual(['fastlib', 'packaging']);
    const withSpeed = await resolveOffline([{ raw: 'fastlib[speed]', source: 'r' }], await scanWheelhouse(dir), target);
    expect(withSpeed.ok).toBe(true);
    expect(withSpeed.packages.map((p) => p.project)).toEqual(['fastlib', 'packaging', 'speedup']);
    expect(withSpeed.packages[0]!.extras).toEqual(['speed']);
    const withDocs = await resolveOffline([{ raw: 'fastlib[docs]', source: 'r' }], await scanWheelhouse(dir), target);
    expect(withDocs.gaps.map((g) => [g.kind, g.project, g.chain.at(-1)])).toEqual([['missing-wheel', 'sphinx', 'fastlib 1.0 requires sphinx']]);
  });

  it('honours Requires-Python from METADATA', async () => {
    const proof = await resolve(['oldpkg'], [{ name: 'oldpkg', version: '1.0', requiresPython: '<3.10' }]);
    expect(proof.gaps[0]).toMatchObject({ kind: 'requires-python' });
    expect(proof.gaps[0]!.message).toMatch(/Requires-Python <3\.10 excludes Python 3\.12\.0/);
  });

  it('reports a conflict between two chains instead of guessing', async () => {
    const proof = await resolve(['numpy==1.26.4', 'mlflow-skinny==2.16.2', 'needs-new-numpy'], [...base, { name: 'needs-new-numpy', version: '1.0', requiresDist: ['numpy>=2'] }]);
    expect(proof.gaps.map((g) => g.kind)).toEqual(['conflict']);
    expect(proof.gaps[0]!.message).toMatch(/numpy>=2 excludes numpy 1\.26\.4, chosen earlier for requirements\.txt:1: numpy==1\.26\.4/);
  });

  it('refuses URL requirements and broken wheels with precise messages', async () => {
    await writeFile(join(dir, 'broken-1.0-py3-none-any.whl'), 'not a zip');
    const proof = await resolve(['pkg @ https://example.com/pkg-1.0.whl', 'broken'], [{ name: 'liar', version: '1.0', metadataName: 'someone-else' }]);
    expect(proof.gaps[0]).toMatchObject({ kind: 'unsupported-requirement' });
    expect(proof.gaps[0]!.message).toMatch(/direct URL reference/);
    expect(proof.gaps[1]).toMatchObject({ kind: 'unreadable-wheel', project: 'broken' });
    const liar = await resolveOffline([{ raw: 'liar', source: 'r' }], await scanWheelhouse(dir), target);
    expect(liar.gaps[0]!.message).toMatch(/METADATA says someone-else 1\.0/);
  });

  it('skips pre-releases unless the requirement asks for one', async () => {
    const wheels: WheelSpec[] = [{ name: 'lib', version: '1.0' }, { name: 'lib', version: '2.0rc1' }];
    expect((await resolve(['lib'], wheels)).packages[0]!.version).toBe('1.0');
    expect((await resolveOffline([{ raw: 'lib>=2.0rc1', source: 'r' }], await scanWheelhouse(dir), target)).packages[0]!.version).toBe('2.0rc1');
  });
});

async function wheelDir(specs: WheelSpec[]): Promise<string> {
  const d = join(dir, 'more');
  for (const s of specs) await buildWheel(d, s);
  return d;
}
