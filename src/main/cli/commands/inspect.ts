import { resolve } from 'node:path';
import { reportToMarkdown } from '@shared/mlflow/report-markdown';
import { ModelService } from '../../services/model/model-service';
import { CliUsageError, ExitCode, type CliCommand } from '../command';
import { reportError } from '../errors';
import { formatReport } from '../format/report-text';
import { parseCommandLine } from '../parse';

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'Inspect an MLflow model folder (or a bare .onnx file) and list its readiness findings',
  usage: `Usage: preflight inspect <model-dir> [--json | --markdown]

Reads the model offline and prints MLmodel, flavors, signature, input examples, dependencies, ONNX graph
inputs/outputs and the readiness findings for Azure ML no-code deployment (severity, evidence, fix).

  --json   print the ModelReport as JSON instead: the stable shape defined by ModelReportSchema
           (src/shared/mlflow/model-report.ts, schemaVersion 1), the same object the app shows
  --markdown  print the report as Markdown (verdict, findings with links, signature, dependencies,
           problems) for a pull request or a ticket; the app's Export writes the same text

Exit codes: 0 no error-severity findings · 1 the model has error-severity findings ·
            2 usage error · 3 the folder is missing, unreadable or not a valid MLflow model`,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(argv, { json: { type: 'boolean' }, markdown: { type: 'boolean' } }, { min: 1, max: 1, names: '<model-dir>' });
    if (values.json && values.markdown) throw new CliUsageError('Choose one of --json and --markdown.');
    let report;
    try {
      report = await new ModelService(io.log).inspect(resolve(io.cwd, positionals[0]), { signal: io.signal });
    } catch (err) {
      return reportError(err, io);
    }
    io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : values.markdown ? reportToMarkdown(report) : formatReport(report));
    return report.findings.some((f) => f.severity === 'error') ? ExitCode.INVALID : ExitCode.OK;
  },
};
