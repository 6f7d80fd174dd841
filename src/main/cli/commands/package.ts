import { resolve } from 'node:path';
import type { PackageBuildSummary, PackageProgress } from '@shared/packaging/package-report';
import { findPackage } from '../../app/package-root';
import { PackageService } from '../../services/packaging/package-service';
import { DEFAULT_PLATFORM, DEFAULT_PYTHON } from '../../services/packaging/target';
import { CliUsageError, ExitCode, type CliCommand, type CliIo } from '../command';
import { reportOptionOrError } from '../errors';
import { parseCommandLine } from '../parse';
import { stderrProgress } from '../format/progress-line';

function progressLine(p: PackageProgress): string {
  if (p.step !== 'write' || p.bytesTotal === 0) return `\r${p.step}…\u001b[K`;
  const width = 24;
  const filled = Math.round((p.bytesDone / p.bytesTotal) * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(p.bytesDone / 1048576).toFixed(1)}/${(p.bytesTotal / 1048576).toFixed(1)} MiB${p.file ? ` ${p.file}` : ''}\u001b[K`;
}

/** The proof in words: what was resolved, what was left out by a marker, and every gap with its chain. */
export function proofText(s: PackageBuildSummary): string {
  const lines: string[] = [];
  const proof = s.proof;
  if (proof) {
    lines.push(`Offline resolution for CPython ${proof.target.python} on ${proof.target.platform}: ${proof.ok ? 'every requirement is satisfied by a wheel in the package' : `${proof.gaps.length} gap${proof.gaps.length === 1 ? '' : 's'}`}`);
    for (const p of proof.packages) lines.push(`  ok   ${p.project}==${p.version}  ${p.wheel}`);
    for (const r of proof.requirements.filter((x) => x.status === 'excluded-by-marker')) lines.push(`  skip ${r.requirement}  (${r.note ?? 'marker is false for the target'})`);
    for (const g of proof.gaps) {
      lines.push(`  GAP  ${g.requirement}: ${g.message}`);
      lines.push(`       needed by ${g.chain.join(' → ')}`);
      for (const r of g.rejected) lines.push(`       refused ${r.wheel}: ${r.reason}`);
    }
    for (const n of proof.notes) lines.push(`note: ${n}`);
  }
  if (s.status === 'succeeded') lines.push(`wrote ${s.out} (${s.format}, ${s.files} files, ${(s.bytes / 1048576).toFixed(1)} MiB) in ${(s.ms / 1000).toFixed(1)} s`);
  return `${lines.join('\n')}\n`;
}

export const packageCommand: CliCommand = {
  name: 'package',
  summary: 'Build an offline package (model, pinned environment, wheels, deploy YAML) for private-link workspaces',
  usage: `Usage: preflight package <model-dir> --out <file.tar.gz|file.zip> [--wheels <dir>] [--python 3.x]
                         [--platform TAG] [--target online|batch] [--format tar.gz|zip]
                         [--download [--index-url URL] [--find-links DIR]] [--json]

Resolves the environment Azure's no-code MLflow build would install (the model's conda.yaml plus
azureml-inference-server-http) against the wheels in --wheels — PEP 440 versions, PEP 508 markers
evaluated for the target, Requires-Dist from each wheel's METADATA, extras, PEP 425 tags — and writes one
archive: model/ (unchanged), environment/ (pinned requirements with hashes, lock.json, the resolution
proof), wheels/ (only those needed), deploy/ (Azure ML CLI v2 YAML, an offline Dockerfile), README.md
and manifest.json (SHA-256 of every file). Nothing is written when a requirement has no fitting wheel:
each gap is printed with the chain of requirements that needs it.

  --out <file>        the archive to write (atomically; .tar.gz, .tgz or .zip)
  --wheels <dir>      a folder of .whl files, e.g. filled on a connected machine with
                      pip download -r requirements.txt --only-binary=:all: --python-version 3.12
                        --platform ${DEFAULT_PLATFORM} -d <dir>
  --python 3.x        target CPython (default ${DEFAULT_PYTHON}, the Azure MLflow inference image's)
  --platform TAG      target wheel platform (default ${DEFAULT_PLATFORM}; e.g. manylinux_2_35_x86_64)
  --target T          online (default) or batch: which endpoint/deployment YAML to write
  --format F          tar.gz (default, or from --out) or zip
  --download          fill what --wheels lacks with the local pip (PREFLIGHT_PYTHON, else python3):
                        pip download --only-binary=:all: --python-version <python> --platform <platform>
                      for the target, not this computer; needs pip and network (else exit 3, saying so)
  --index-url URL     the index pip downloads from (default: pip's own configuration; file:// works)
  --find-links DIR    a folder of wheels pip takes from (without --index-url: the only source)
  --json              print the build summary (status, proof, gaps) as JSON

Exit codes: 0 written · 1 a requirement cannot be satisfied offline (nothing written) · 2 usage error ·
            3 missing model/wheel folder or unreadable model · 130 cancelled (nothing written)`,
  async run(argv, io: CliIo) {
    const { values, positionals } = parseCommandLine(
      argv,
      { out: { type: 'string' }, wheels: { type: 'string' }, python: { type: 'string' }, platform: { type: 'string' }, target: { type: 'string' }, format: { type: 'string' }, json: { type: 'boolean' }, download: { type: 'boolean' }, 'index-url': { type: 'string' }, 'find-links': { type: 'string' } },
      { min: 1, max: 1, names: '<model-dir>' },
    );
    if (!values.out) throw new CliUsageError('Missing --out <file>: the archive to write (.tar.gz or .zip).');
    const target = values.target ?? 'online';
    if (target !== 'online' && target !== 'batch') throw new CliUsageError(`--target must be online or batch, got "${target}".`);
    const format = values.format;
    if (format !== undefined && format !== 'tar.gz' && format !== 'zip') throw new CliUsageError(`--format must be tar.gz or zip, got "${format}".`);
    if ((values['index-url'] || values['find-links']) && !values.download) throw new CliUsageError('--index-url and --find-links only apply with --download.');
    const service = new PackageService({ toolVersion: findPackage().version });
    const bar = stderrProgress(io, progressLine);
    try {
      const summary = await service.build(
        {
          modelPath: resolve(io.cwd, positionals[0]!),
          out: resolve(io.cwd, values.out),
          wheels: values.wheels ? resolve(io.cwd, values.wheels) : null,
          python: values.python,
          platform: values.platform,
          deployment: target,
          format,
          download: values.download ? { indexUrl: values['index-url'] ?? null, findLinks: values['find-links'] ? resolve(io.cwd, values['find-links']) : null } : null,
        },
        { signal: io.signal, onProgress: bar.onProgress },
      );
      bar.end({ clear: true });
      if (values.json) io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
      else io.stdout(proofText(summary));
      if (summary.status === 'cancelled') {
        io.stderr('preflight: cancelled; no package was written\n');
        return ExitCode.INTERRUPTED;
      }
      if (summary.status === 'failed') {
        io.stderr(`preflight: ${summary.error ?? 'packaging failed'}\n`);
        return ExitCode.INVALID;
      }
      return ExitCode.OK;
    } catch (err) {
      bar.end();
      return reportOptionOrError(err, io);
    }
  },
};
