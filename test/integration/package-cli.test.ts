/**
 * `preflight package` and `preflight verify` as a user runs them (runCli, real files): the proof in words,
 * `--json`, and exit codes 0 / 1 / 2 / 3.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import { silentLogger } from '../../src/main/ports/logger';
import { sampleModelDir } from '../support/paths';
import { buildWheel } from '../support/wheels';

let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'preflight-package-cli-'));
  for (const [name, version] of [['mlflow', '2.16.2'], ['onnx', '1.16.2'], ['onnxruntime', '1.19.2'], ['azureml-inference-server-http', '1.4.0']] as const) {
    await buildWheel(join(tmp, 'wheels'), { name, version, requiresDist: name === 'mlflow' ? ['pywin32; platform_system == "Windows"'] : [] });
  }
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ...process.env }, cwd: tmp, signal: new AbortController().signal, log: silentLogger };
  return { code: await runCli(argv, io), stdout, stderr };
}

describe('preflight package / verify', () => {
  it('packages the sample model, prints the proof, and verify says PASS', async () => {
    const built = await cli('package', sampleModelDir, '--out', 'sample.tar.gz', '--wheels', 'wheels');
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/Offline resolution for CPython 3\.12 on manylinux_2_17_x86_64: every requirement is satisfied/);
    expect(built.stdout).toMatch(/ {2}ok {3}onnxruntime==1\.19\.2 {2}onnxruntime-1\.19\.2-py3-none-any\.whl/);
    expect(built.stdout).toMatch(/ {2}skip pywin32; platform_system == "Windows"/);
    expect(built.stdout).toMatch(/note: The model was logged with Python 3\.11\.9; the package targets 3\.12/);
    expect(built.stdout).toMatch(/wrote .*sample\.tar\.gz \(tar\.gz, 23 files/);
    const verified = await cli('verify', 'sample.tar.gz');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^PASS .*sample\.tar\.gz\n {2}ok {3}archive/);
    const json = JSON.parse((await cli('verify', 'sample.tar.gz', '--json')).stdout);
    expect(json.verdict).toBe('PASS');
    expect(json.manifest.model.uuid).toBe('d4c2a07b9f1e4b6c8a35e0f2b7c19d53');
  });

  it('--json and other targets; exit 1 with every gap and its chain when wheels are missing; nothing written', async () => {
    const r = await cli('package', sampleModelDir, '--out', 'nope.zip', '--wheels', 'wheels', '--python', '3.11', '--platform', 'musllinux_1_2_x86_64', '--json');
    expect(r.code).toBe(0); // pure-Python wheels fit musllinux too
    expect(JSON.parse(r.stdout).proof.target).toEqual({ python: '3.11', platform: 'musllinux_1_2_x86_64' });
    const gap = await cli('package', sampleModelDir, '--out', 'gap.tar.gz');
    expect(gap.code).toBe(1);
    expect(gap.stdout).toMatch(/GAP {2}mlflow==2\.16\.2: No wheel of mlflow in the wheelhouse/);
    expect(gap.stdout).toMatch(/needed by conda\.yaml:\d+: mlflow==2\.16\.2/);
    expect(gap.stderr).toMatch(/^preflight: 4 requirements cannot be satisfied offline; no package was written\. No wheel folder was given \(--wheels, or the Package tab's Wheel folder\)/);
    expect(gap.stderr).toMatch(/or let pip fill it \(--download/);
    // Every command printed can be pasted: a concrete folder (beside the model, none was chosen), never `-d <wheels>`.
    const besideModel = join(dirname(sampleModelDir), `${basename(sampleModelDir)}-wheels`);
    expect(gap.stdout + gap.stderr).not.toContain('<wheels>');
    expect(gap.stdout).toContain(`--platform manylinux_2_17_x86_64 -d ${besideModel}\``);
    expect(gap.stderr).toContain(`-d ${besideModel}\` (then name ${besideModel} as the wheel folder`);
    mkdirSync(join(tmp, 'empty-wheels'));
    const empty = await cli('package', sampleModelDir, '--out', 'gap.tar.gz', '--wheels', 'empty-wheels');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain(`no package was written. The wheel folder ${join(tmp, 'empty-wheels')} holds no .whl files.`);
    // one command that fills the folder the user named with every missing wheel, for the target
    expect(empty.stderr).toContain(
      `All 4 at once, on a connected machine: \`pip download mlflow==2.16.2 onnx==1.16.2 onnxruntime==1.19.2 azureml-inference-server-http --only-binary=:all: --python-version 3.12 --platform manylinux_2_17_x86_64 -d ${join(tmp, 'empty-wheels')}\`, then build again.`,
    );
    // Each gap's own command names the folder the user chose too.
    expect(empty.stdout).toContain(`pip download mlflow==2.16.2 --only-binary=:all: --python-version 3.12 --platform manylinux_2_17_x86_64 -d ${join(tmp, 'empty-wheels')}\``);
    expect(empty.stdout + empty.stderr).not.toContain('<wheels>');
    expect(empty.stdout).toContain("(to target the model's Python: --python 3.11, or Python 3.11 in the Package tab)");
    expect(await stat(join(tmp, 'gap.tar.gz')).catch(() => null)).toBeNull();
  });

  it('usage errors exit 2, missing folders exit 3, a damaged package exits 1', async () => {
    expect((await cli('package', sampleModelDir)).code).toBe(2);
    const badPy = await cli('package', sampleModelDir, '--out', 'x.tar.gz', '--python', '2.7');
    expect(badPy.code).toBe(2);
    expect(badPy.stderr).toMatch(/--python must be a CPython 3 version/);
    expect((await cli('package', sampleModelDir, '--out', 'x.tar.gz', '--target', 'edge')).code).toBe(2);
    const noWheels = await cli('package', sampleModelDir, '--out', 'x.tar.gz', '--wheels', 'no-such-dir');
    expect(noWheels.code).toBe(3);
    expect(noWheels.stderr).toMatch(/Wheel folder not found/);
    // No such file, or a folder: exit 3 (the file cannot be read), as `verify --help` says; still a FAIL report.
    const missing = await cli('verify', 'no-such-package.tar.gz');
    expect(missing.code).toBe(3);
    expect(missing.stdout).toMatch(/^FAIL .*no-such-package\.tar\.gz/);
    expect(missing.stderr).toMatch(/no-such-package\.tar\.gz does not exist or is not a file/);
    expect((await cli('verify', 'wheels')).code).toBe(3);
    writeFileSync(join(tmp, 'junk.tar.gz'), 'junk');
    const junk = await cli('verify', 'junk.tar.gz');
    expect(junk.code).toBe(1);
    expect(junk.stdout).toMatch(/^FAIL/);
    expect(junk.stderr).toMatch(/neither a \.tar\.gz nor a \.zip/);
  });
});
