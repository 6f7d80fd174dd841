/**
 * Builds small but real wheels for tests (PEP 427 layout: a module, `*.dist-info/METADATA`, `WHEEL` with
 * its Tag lines, and a `RECORD` with urlsafe-base64 SHA-256 digests), so the offline resolver reads them
 * exactly as it reads wheels from `pip download`.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import yazl from 'yazl';

export interface WheelSpec {
  name: string;
  version: string;
  /** `py3-none-any` (default), `cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64`, … */
  tag?: string;
  requiresDist?: string[];
  requiresPython?: string;
  providesExtra?: string[];
  /** Overrides the METADATA Name (to build an inconsistent wheel). */
  metadataName?: string;
}

const b64 = (data: Buffer): string => createHash('sha256').update(data).digest('base64url');

export function wheelFileName(spec: WheelSpec): string {
  return `${spec.name.replace(/[-.]+/g, '_')}-${spec.version}-${spec.tag ?? 'py3-none-any'}.whl`;
}

/** Writes the wheel into `dir` and returns its path. */
export async function buildWheel(dir: string, spec: WheelSpec): Promise<string> {
  await mkdir(dir, { recursive: true });
  const dist = spec.name.replace(/[-.]+/g, '_');
  const info = `${dist}-${spec.version}.dist-info`;
  const tag = spec.tag ?? 'py3-none-any';
  const [py, abi, plats] = tag.split('-') as [string, string, string];
  const tags = py.split('.').flatMap((p) => abi.split('.').flatMap((a) => plats.split('.').map((pl) => `${p}-${a}-${pl}`)));
  const metadata = [
    'Metadata-Version: 2.1',
    `Name: ${spec.metadataName ?? spec.name}`,
    `Version: ${spec.version}`,
    ...(spec.requiresPython ? [`Requires-Python: ${spec.requiresPython}`] : []),
    ...(spec.providesExtra ?? []).map((x) => `Provides-Extra: ${x}`),
    ...(spec.requiresDist ?? []).map((r) => `Requires-Dist: ${r}`),
    '',
    `A test package called ${spec.name}.`,
    '',
  ].join('\n');
  const wheel = ['Wheel-Version: 1.0', 'Generator: preflight-tests', `Root-Is-Purelib: ${tag.endsWith('-any')}`, ...tags.map((t) => `Tag: ${t}`), ''].join('\n');
  const files: [string, Buffer][] = [
    [`${dist}/__init__.py`, Buffer.from(`__version__ = "${spec.version}"\n`)],
    [`${info}/METADATA`, Buffer.from(metadata)],
    [`${info}/WHEEL`, Buffer.from(wheel)],
  ];
  const record = `${files.map(([p, d]) => `${p},sha256=${b64(d)},${d.length}`).join('\n')}\n${info}/RECORD,,\n`;
  files.push([`${info}/RECORD`, Buffer.from(record)]);
  const zip = new yazl.ZipFile();
  for (const [p, d] of files) zip.addBuffer(d, p, { mtime: new Date(2024, 0, 1) });
  zip.end();
  const path = join(dir, wheelFileName(spec));
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(path);
    zip.outputStream.pipe(out).on('finish', () => resolve()).on('error', reject);
  });
  return path;
}

/** A wheelhouse that satisfies the sample model's environment (its conda.yaml + the inference server) on the default target. */
export const SAMPLE_WHEELS: readonly WheelSpec[] = [
  { name: 'mlflow', version: '2.16.2', requiresDist: ['numpy<2', 'packaging', 'pywin32; sys_platform == "win32"'] },
  { name: 'numpy', version: '1.26.4', tag: 'cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64' },
  { name: 'packaging', version: '24.1' },
  { name: 'onnx', version: '1.16.2', tag: 'cp312-cp312-manylinux_2_17_x86_64' },
  { name: 'onnxruntime', version: '1.19.2', tag: 'cp312-cp312-manylinux_2_27_x86_64.manylinux_2_28_x86_64' },
  { name: 'onnxruntime', version: '1.19.2', tag: 'cp312-cp312-manylinux_2_17_x86_64' },
  { name: 'azureml-inference-server-http', version: '1.4.0', requiresDist: ['flask<3.1'] },
  { name: 'flask', version: '3.0.3' },
];

/**
 * For `download` tests: `source`, every sample wheel (pip's find-links or index), and `partial`, what the user has —
 * everything but numpy and flask (a binary wheel and a transitive one).
 */
export async function sourceAndPartialWheels(work: string): Promise<{ source: string; partial: string }> {
  const source = join(work, 'source');
  for (const s of SAMPLE_WHEELS) await buildWheel(source, s);
  const partial = join(work, 'partial');
  for (const s of SAMPLE_WHEELS.filter((w) => w.name !== 'numpy' && w.name !== 'flask')) await buildWheel(partial, s);
  return { source, partial };
}
