import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { findPackage } from '../../app/package-root';
import { PackageService } from '../../services/packaging/package-service';
import { ExitCode, type CliCommand, type CliIo } from '../command';
import { reportError } from '../errors';
import { parseCommandLine } from '../parse';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'Check an offline package: every hash, completeness, and the offline resolution again (PASS/FAIL)',
  usage: `Usage: preflight verify <package.tar.gz|package.zip> [--json]

Unpacks the package into a temporary folder (removed afterwards; nothing is written anywhere else),
refusing entries that could escape it (absolute paths, "..", links), then recomputes the SHA-256 of every
file against manifest.json, checks nothing is missing or added, and re-runs the offline resolution over
the package's own wheels/. Prints PASS, or FAIL with every reason.

  --json    print the report ({ package, verdict, checks[], reasons[], manifest, proof })

Exit codes: 0 PASS · 1 FAIL · 2 usage error · 3 the file cannot be read`,
  async run(argv, io: CliIo) {
    const { values, positionals } = parseCommandLine(argv, { json: { type: 'boolean' } }, { min: 1, max: 1, names: '<package>' });
    const service = new PackageService({ toolVersion: findPackage().version });
    try {
      const file = resolve(io.cwd, positionals[0]!);
      // A path that names no file is the environment's fault (exit 3, as --help says), not a package that fails.
      const unreadable = !(await stat(file).catch(() => null))?.isFile();
      const report = await service.verify(file, { signal: io.signal });
      if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      else {
        const lines = report.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
        io.stdout(`${report.verdict} ${report.package}\n${lines.join('\n')}\n`);
      }
      if (report.verdict === 'FAIL') {
        for (const r of report.reasons) io.stderr(`preflight: ${r}\n`);
        return unreadable ? ExitCode.ENVIRONMENT : ExitCode.INVALID;
      }
      return ExitCode.OK;
    } catch (err) {
      return reportError(err, io);
    }
  },
};
