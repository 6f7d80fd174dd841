/**
 * Offline packages (issue 9), end to end on real files: build from the sample model and fixture folders
 * over wheelhouses the tests assemble, verify them, tamper with them, and install one with the real pip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, truncate, writeFile, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import type tar from 'tar-stream';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageService } from '../../src/main/services/packaging/package-service';
import { fixture, sampleModelDir } from '../support/paths';
import { buildWheel, SAMPLE_WHEELS, type WheelSpec } from '../support/wheels';
import { tarEntries, writeTar } from '../support/package-archives';

let work: string;
const service = new PackageService({ toolVersion: '0.1.0-test', progressIntervalMs: 0 });


async function wheelhouse(name: string, specs: readonly WheelSpec[]): Promise<string> {
  const dir = join(work, name);
  for (const s of specs) await buildWheel(dir, s);
  return dir;
}

let samplePackage: string;
let sampleWheels: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'preflight-package-'));
  sampleWheels = await wheelhouse('sample-wheels', SAMPLE_WHEELS);
  samplePackage = join(work, 'sample.tar.gz');
  const events: string[] = [];
  const summary = await service.build({ modelPath: sampleModelDir, out: samplePackage, wheels: sampleWheels }, { onProgress: (p) => events.push(p.step) });
  expect(summary.error).toBeNull();
  expect(summary.status).toBe('succeeded');
  expect(new Set(events)).toEqual(new Set(['inspect', 'resolve', 'write', 'done']));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('preflight package: the sample model', () => {
  it('holds model/ unchanged, the pinned environment, only the wheels it needs, deploy/ YAML, README and a manifest', async () => {
    const entries = await tarEntries(samplePackage);
    const names = entries.map((e) => e.header.name);
    for (const f of await readdir(sampleModelDir)) {
      const inPkg = entries.find((e) => e.header.name === `model/${f}`)!;
      expect(inPkg.data.equals(await readFile(join(sampleModelDir, f)))).toBe(true);
    }
    expect(names.filter((n) => n.startsWith('wheels/')).sort()).toEqual([
      'wheels/azureml_inference_server_http-1.4.0-py3-none-any.whl',
      'wheels/flask-3.0.3-py3-none-any.whl',
      'wheels/mlflow-2.16.2-py3-none-any.whl',
      'wheels/numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl',
      'wheels/onnx-1.16.2-cp312-cp312-manylinux_2_17_x86_64.whl',
      'wheels/onnxruntime-1.19.2-cp312-cp312-manylinux_2_17_x86_64.whl', // the manylinux_2_28 build needs a newer glibc than the target
      'wheels/packaging-24.1-py3-none-any.whl',
    ]);
    const text = (n: string): string => entries.find((e) => e.header.name === n)!.data.toString('utf8');
    expect(text('environment/requirements.txt')).toMatch(/^numpy==1\.26\.4 \\\n {4}--hash=sha256:[0-9a-f]{64}$/m);
    expect(text('environment/requirements.txt')).not.toMatch(/pywin32/); // its marker is false on Linux
    expect(JSON.parse(text('environment/lock.json')).packages).toContainEqual(expect.objectContaining({ name: 'flask', version: '3.0.3', wheel: 'wheels/flask-3.0.3-py3-none-any.whl' }));
    expect(text('deploy/model.yml')).toMatch(/type: mlflow_model/);
    expect(text('deploy/Dockerfile')).toMatch(/pip install --no-index --find-links \/opt\/preflight\/wheels/);
    expect(text('deploy/package.yml')).toMatch(/inferencing_server:\n {2}type: azureml_online\nmodel_configuration:\n {2}mode: download/);
    expect(text('deploy/endpoint.yml')).toMatch(/public_network_access: disabled/);
    expect(text('README.md')).toMatch(/private link/);
    const manifest = JSON.parse(text('manifest.json'));
    expect(manifest.model.uuid).toBe('d4c2a07b9f1e4b6c8a35e0f2b7c19d53');
    expect(manifest.target).toEqual({ python: '3.12', platform: 'manylinux_2_17_x86_64', deployment: 'online' });
    expect(manifest.files.map((f: { path: string }) => f.path).sort()).toEqual(names.filter((n) => n !== 'manifest.json').sort());
  });

  it('verifies: PASS, and nothing is left in the temp folder', async () => {
    const before = (await readdir(tmpdir())).filter((n) => n.startsWith('preflight-verify-'));
    const report = await service.verify(samplePackage);
    expect(report.reasons).toEqual([]);
    expect(report.verdict).toBe('PASS');
    expect(report.checks.map((c) => c.name)).toEqual(['archive', 'manifest', 'hashes', 'completeness', 'resolution']);
    expect((await readdir(tmpdir())).filter((n) => n.startsWith('preflight-verify-'))).toEqual(before);
  });

  it('writes a .zip on request that verifies too, and a batch target gets batch YAML', async () => {
    const out = join(work, 'sample.zip');
    const s = await service.build({ modelPath: sampleModelDir, out, wheels: sampleWheels, deployment: 'batch' });
    expect(s.status).toBe('succeeded');
    expect(s.format).toBe('zip');
    const r = await service.verify(out);
    expect(r.verdict).toBe('PASS');
    expect(r.manifest!.target.deployment).toBe('batch');
    const listing = execFileSync('unzip', ['-p', out, 'deploy/deployment.yml'], { encoding: 'utf8' });
    expect(listing).toMatch(/type: model\n/);
  });

  it('installs with the real pip from wheels/ only (--no-index --require-hashes) when built for this Python', async () => {
    const pyVersion = execFileSync('/usr/bin/python3', ['-c', 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")'], { encoding: 'utf8' }).trim();
    const abi = `cp${pyVersion.replace('.', '')}`;
    const wheels = await wheelhouse(`pip-wheels`, SAMPLE_WHEELS.map((w) => ({ ...w, tag: w.tag?.replace(/cp312/g, abi) })));
    const out = join(work, 'pip.tar.gz');
    const s = await service.build({ modelPath: sampleModelDir, out, wheels, python: pyVersion });
    expect(s.status).toBe('succeeded');
    const unpacked = join(work, 'pip-unpacked');
    await mkdir(unpacked);
    execFileSync('tar', ['-xzf', out, '-C', unpacked]);
    const r = spawnSync('/usr/bin/python3', ['-m', 'pip', 'install', '--no-index', '--find-links', join(unpacked, 'wheels'), '--require-hashes', '-r', join(unpacked, 'environment/requirements.txt'), '--target', join(work, 'site'), '--disable-pip-version-check', '--no-cache-dir'], { encoding: 'utf8', env: { ...process.env, PIP_CONFIG_FILE: '/dev/null', PIP_BREAK_SYSTEM_PACKAGES: '1' } });
    expect(r.stderr).not.toMatch(/ERROR/);
    expect(r.status).toBe(0);
    expect((await readdir(join(work, 'site'))).filter((n) => n.endsWith('.dist-info')).length).toBe(7);
  });
});

describe('preflight package: refusals and cancel', () => {
  it('writes nothing when a requirement has no wheel, and names the chain', async () => {
    const out = join(work, 'gap.tar.gz');
    const wheels = await wheelhouse('gap-wheels', SAMPLE_WHEELS.filter((w) => w.name !== 'flask'));
    const s = await service.build({ modelPath: sampleModelDir, out, wheels });
    expect(s.status).toBe('failed');
    expect(s.error).toMatch(/1 requirement cannot be satisfied offline; no package was written\. No wheel of flask/);
    expect(s.proof!.gaps[0]!.chain).toEqual(['Azure ML MLflow inference image (azmlinfsrv): azureml-inference-server-http', 'azureml-inference-server-http 1.4.0 requires flask<3.1']);
    expect(await stat(out).catch(() => null)).toBeNull();
    expect((await readdir(work)).filter((n) => n.includes('.partial'))).toEqual([]);
  });

  it('packages fixture folders: conda.yaml pip lists (unpinned mlflow, the image package already listed)', async () => {
    const wheels = await wheelhouse('diabetes-wheels', [
      { name: 'mlflow', version: '2.19.0' }, { name: 'scikit-learn', version: '1.6.1', tag: 'cp312-cp312-manylinux_2_17_x86_64' },
      { name: 'psutil', version: '5.9.4', tag: 'cp36-abi3-manylinux_2_12_x86_64.manylinux2010_x86_64' }, { name: 'azureml-ai-monitoring', version: '1.0.0' },
      { name: 'azureml-inference-server-http', version: '1.4.0' },
    ]);
    const out = join(work, 'diabetes.tar.gz');
    const s = await service.build({ modelPath: fixture('mlflow-models/azureml-examples-sklearn-diabetes'), out, wheels });
    expect(s.error).toBeNull();
    expect(s.proof!.packages.map((p) => `${p.project}==${p.version}`)).toEqual(['azureml-ai-monitoring==1.0.0', 'azureml-inference-server-http==1.4.0', 'mlflow==2.19.0', 'psutil==5.9.4', 'scikit-learn==1.6.1']);
    expect((await service.verify(out)).verdict).toBe('PASS');
    // heart-classifier was logged with Python 3.8 and xgboost 1.3.3; for a 3.8 target a cp312 wheel does not fit.
    const heart = await service.build({ modelPath: fixture('mlflow-models/azureml-examples-heart-classifier'), out: join(work, 'heart.tar.gz'), wheels, python: '3.8' });
    expect(heart.status).toBe('failed');
    expect(heart.proof!.gaps.map((g) => g.project)).toEqual(expect.arrayContaining(['cloudpickle', 'scikit-learn', 'xgboost']));
  });

  it('refuses a model folder with a symlink that leaves it', async () => {
    const model = join(work, 'escaping-model');
    await cp(sampleModelDir, model, { recursive: true });
    await writeFile(join(work, 'secret.txt'), 'do not ship');
    await symlink(join(work, 'secret.txt'), join(model, 'notes.txt'));
    const out = join(work, 'escape.tar.gz');
    const s = await service.build({ modelPath: model, out, wheels: sampleWheels });
    expect(s.status).toBe('failed');
    expect(s.error).toMatch(/notes\.txt is a symlink to .*secret\.txt, outside the model folder/);
    expect(await stat(out).catch(() => null)).toBeNull();
  });

  it('mixes stored (incompressible weights) and deflated (text) entries in one gzip stream that verifies and unpacks with tar', async () => {
    const model = join(work, 'weights-model');
    await cp(sampleModelDir, model, { recursive: true });
    await writeFile(join(model, 'weights.bin'), randomBytes(6 * 1024 * 1024));
    await writeFile(join(model, 'notes.txt'), 'compressible text\n'.repeat(200_000));
    const out = join(work, 'weights.tar.gz');
    const s = await service.build({ modelPath: model, out, wheels: sampleWheels });
    expect(s.status).toBe('succeeded');
    // 6 MiB of random bytes (level 0) plus 3.6 MB of text deflated to almost nothing (level 6) after the switch back.
    expect(s.bytes).toBeGreaterThan(6 * 1024 * 1024);
    expect(s.bytes).toBeLessThan(6.5 * 1024 * 1024);
    expect((await service.verify(out)).verdict).toBe('PASS');
    const listing = execFileSync('tar', ['-tzvf', out], { encoding: 'utf8' });
    expect(listing).toMatch(/6291456 .*model\/weights\.bin/);
  });

  it('cancel leaves no partial file, mid-write', async () => {
    const model = join(work, 'big-model');
    await cp(sampleModelDir, model, { recursive: true });
    await writeFile(join(model, 'weights.bin'), Buffer.alloc(64 * 1024 * 1024, 7));
    const out = join(work, 'cancelled.tar.gz');
    const controller = new AbortController();
    const s = await service.build({ modelPath: model, out, wheels: sampleWheels }, {
      operationId: 'op-cancel',
      onProgress: (p) => {
        if (p.step === 'write' && p.bytesDone > 8 * 1024 * 1024) expect(service.cancel('op-cancel')).toBe(true);
      },
      signal: controller.signal,
    });
    expect(s.status).toBe('cancelled');
    expect(await stat(out).catch(() => null)).toBeNull();
    expect((await readdir(work)).filter((n) => n.includes('.partial'))).toEqual([]);
    expect(service.cancel('op-cancel')).toBe(false);
  });
});

describe('preflight verify: damaged and hostile archives', () => {
  async function variant(name: string, change: (e: { header: tar.Header; data: Buffer }[]) => { header: Partial<tar.Header> & { name: string }; data?: Buffer }[]): Promise<string> {
    const file = join(work, name);
    await writeTar(file, change(await tarEntries(samplePackage)));
    return file;
  }

  it('detects a changed file (tampering) by its hash', async () => {
    const file = await variant('tampered.tar.gz', (es) => es.map((e) => (e.header.name === 'model/MLmodel' ? { header: e.header, data: Buffer.concat([e.data, Buffer.from('# x\n')]) } : e)));
    const r = await service.verify(file);
    expect(r.verdict).toBe('FAIL');
    expect(r.reasons[0]).toMatch(/model\/MLmodel is \d+ bytes, manifest.json says \d+ \(changed or truncated\)/);
    const same = await variant('tampered-same-size.tar.gz', (es) => es.map((e) => (e.header.name === 'environment/requirements.txt' ? { header: e.header, data: Buffer.from(e.data.toString('utf8').replace('numpy==1.26.4', 'numpy==1.26.5')) } : e)));
    expect((await service.verify(same)).reasons[0]).toMatch(/environment\/requirements\.txt has SHA-256 .* \(its content was changed\)/);
  });

  it('detects a swapped wheel even when the manifest is rewritten to match (the lock and re-resolution disagree)', async () => {
    const file = await variant('no-wheel.tar.gz', (es) => {
      const without = es.filter((e) => !e.header.name.startsWith('wheels/flask'));
      const manifest = JSON.parse(without.find((e) => e.header.name === 'manifest.json')!.data.toString('utf8'));
      manifest.files = manifest.files.filter((f: { path: string }) => !f.path.startsWith('wheels/flask'));
      return without.map((e) => (e.header.name === 'manifest.json' ? { header: e.header, data: Buffer.from(JSON.stringify(manifest)) } : e));
    });
    const r = await service.verify(file);
    expect(r.verdict).toBe('FAIL');
    expect(r.checks.find((c) => c.name === 'resolution')!.detail).toMatch(/No wheel of flask .*needed by .*azureml-inference-server-http 1\.4\.0 requires flask<3\.1/);
  });

  it('rejects added and removed files', async () => {
    const added = await variant('added.tar.gz', (es) => [...es, { header: { name: 'model/extra.py', type: 'file', mode: 0o644 } as tar.Header, data: Buffer.from('import os') }]);
    expect((await service.verify(added)).reasons).toEqual(['model/extra.py is in the archive but not in manifest.json (added after packaging)']);
    const removed = await variant('removed.tar.gz', (es) => es.filter((e) => e.header.name !== 'model/input_example.json'));
    expect((await service.verify(removed)).reasons).toEqual(['model/input_example.json is listed in manifest.json but missing from the archive']);
  });

  it('rejects a truncated archive and a corrupt one with a precise message', async () => {
    const cut = join(work, 'truncated.tar.gz');
    await cp(samplePackage, cut);
    await truncate(cut, Math.floor((await stat(cut)).size / 2));
    expect((await service.verify(cut)).reasons[0]).toMatch(/^Rejected: the archive is truncated/);
    const corrupt = join(work, 'corrupt.tar.gz');
    const bytes = await readFile(samplePackage);
    for (let i = 200; i < 400; i++) bytes[i] = bytes[i]! ^ 0xff;
    await writeFile(corrupt, bytes);
    expect((await service.verify(corrupt)).reasons[0]).toMatch(/^Rejected: the archive is (corrupt|truncated)/);
    const cutZip = join(work, 'truncated.zip');
    await cp(join(work, 'sample.zip'), cutZip);
    await truncate(cutZip, 3000);
    expect((await service.verify(cutZip)).reasons[0]).toMatch(/^Rejected: the archive is truncated or is not a zip/);
    await writeFile(join(work, 'not-an-archive.tar.gz'), 'hello');
    expect((await service.verify(join(work, 'not-an-archive.tar.gz'))).reasons[0]).toMatch(/neither a \.tar\.gz nor a \.zip/);
  });

  it('rejects a symlink entry in a .zip package', async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('/etc/passwd'), 'model/passwd', { mode: 0o120777 });
    zip.addBuffer(Buffer.from('{}'), 'manifest.json');
    zip.end();
    const file = join(work, 'link.zip');
    await pipeline(zip.outputStream, createWriteStream(file));
    const r = await service.verify(file);
    expect(r.verdict).toBe('FAIL');
    expect(r.reasons[0]).toBe('Rejected: entry "model/passwd" is a symlink: a package holds regular files only, and a link could point outside the folder it is unpacked into.');
  });

  it('rejects zip-slip and symlink entries, writing nothing outside its temp folder', async () => {
    const target = join(work, 'escaped.txt');
    const slip = await variant('slip.tar.gz', (es) => [{ header: { name: '../escaped.txt', type: 'file', mode: 0o644 } as tar.Header, data: Buffer.from('pwned') }, ...es]);
    const r = await service.verify(slip);
    expect(r.verdict).toBe('FAIL');
    expect(r.reasons[0]).toBe('Rejected: entry "../escaped.txt" climbs out with ".." (zip-slip): it would be written outside the folder it is unpacked into.');
    const abs = await variant('abs.tar.gz', (es) => [...es, { header: { name: `${target}`, type: 'file', mode: 0o644 } as tar.Header, data: Buffer.from('pwned') }]);
    expect((await service.verify(abs)).reasons[0]).toMatch(/has an absolute path \(zip-slip\)/);
    const link = await variant('link.tar.gz', (es) => [...es, { header: { name: 'model/passwd', type: 'symlink', linkname: '/etc/passwd', mode: 0o777 } as tar.Header }]);
    expect((await service.verify(link)).reasons[0]).toBe('Rejected: entry "model/passwd" is a symlink to "/etc/passwd": a package holds regular files only, and a link could point outside the folder it is unpacked into.');
    const dup = await variant('dup.tar.gz', (es) => [...es, es.find((e) => e.header.name === 'model/MLmodel')!]);
    expect((await service.verify(dup)).reasons[0]).toMatch(/entry "model\/MLmodel" appears twice/);
    expect(await stat(target).catch(() => null)).toBeNull();
  });

  // 300 000 empty files kept verify unpacking for minutes; a SIGINT then said "unexpected error: This operation was aborted".
  it('stops unpacking past the file cap with the reason, and a cancel is a cancel', async () => {
    const many = await variant('many.tar.gz', (es) => [...es, ...Array.from({ length: 60 }, (_, i) => ({ header: { name: `model/extra/f${i}`, type: 'file', mode: 0o644 } as tar.Header, data: Buffer.alloc(0) }))]);
    const r = await service.verify(many, { maxFiles: 50 });
    expect(r.verdict).toBe('FAIL');
    expect(r.reasons).toEqual(['Rejected: the archive holds more than 50 files; a package Preflight makes holds the model folder, its wheels and a manifest (hundreds), so it was not unpacked further.']);
    const controller = new AbortController();
    controller.abort();
    await expect(service.verify(many, { signal: controller.signal })).rejects.toMatchObject({ code: 'E_CANCELLED' });
  });
});
