import { resolve } from 'node:path';
import type { ServerKind } from '@shared/mlflow/payload';
import { ModelService } from '../../services/model/model-service';
import { CONVERT_TARGETS, PayloadService, type ConversionResult, type ConvertTarget } from '../../services/payload/payload-service';
import { readBody } from '../../services/payload/read-body';
import { CliUsageError, ExitCode, type CliCommand } from '../command';
import { reportError } from '../errors';
import { bodyContentTypeFlag, mlflowVersionFlag, parseCommandLine } from '../parse';
import { warningText } from '../format/text';

export const convertCommand: CliCommand = {
  name: 'convert',
  summary: 'Rewrite a request body for another server or form (Azure ML input_data, MLflow 2.x and 1.x forms, CSV)',
  usage: `Usage: preflight convert <body-file|-> --to azureml|dataframe_split|dataframe_records|instances|inputs|csv|mlflow1_split|mlflow1_records
                        [--model <model-dir>] [--from-server mlflow|azureml] [--content-type CT|none]
                        [--mlflow-version X.Y]

Reads a request body (a file, or - for stdin) and prints the same request in the chosen form on stdout,
so it can be piped or redirected into a file. Warnings (anything the conversion could not keep, e.g.
records with missing keys, params that CSV cannot carry) and notes (e.g. an MLflow 1.x body upgraded)
go to stderr.

  --to FORM                  azureml            {"input_data": …} for an Azure ML online endpoint
                             dataframe_split    MLflow {"dataframe_split": {"columns", "data"}}
                             dataframe_records  MLflow {"dataframe_records": [{…}, …]}
                             instances          MLflow {"instances": …}
                             inputs             MLflow {"inputs": …}
                             csv                text/csv for MLflow serve (no params)
                             mlflow1_split      MLflow 1.x bare {"columns", "data"}
                                                (Content-Type: application/json; format=pandas-split)
                             mlflow1_records    MLflow 1.x bare [{…}, …]
                                                (Content-Type: application/json; format=pandas-records)
                             For an MLflow 1.x server (the model pins 1.x, or --mlflow-version 1.x) use
                             mlflow1_split, mlflow1_records, instances, inputs or csv: 1.x reads no
                             dataframe_* envelope and no params (they are left out, with a warning).
  --model <model-dir>        use the model's signature (column order, tensor names and dtypes) and its
                             MLflow pin (which server the MLflow forms are for)
  --mlflow-version X.Y       write the MLflow forms for this version instead of the one the model pins
  --from-server mlflow|azureml   which server the body was written for, when the body alone is ambiguous
  --content-type CT|none     the body's content type (default: application/json; text/csv for .csv files)

Exit codes: 0 converted · 1 the body cannot be converted (the reason is printed) · 2 usage error ·
            3 the body file or the model folder is missing or unreadable`,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(
      argv,
      {
        to: { type: 'string' },
        model: { type: 'string' },
        'from-server': { type: 'string' },
        'content-type': { type: 'string' },
        'mlflow-version': { type: 'string' },
      },
      { min: 1, max: 1, names: '<body-file|->' },
    );
    if (values.to === undefined) throw new CliUsageError(`--to is required: one of ${CONVERT_TARGETS.join(', ')}.`);
    const to = values.to as ConvertTarget;
    if (!CONVERT_TARGETS.includes(to)) throw new CliUsageError(`--to must be one of ${CONVERT_TARGETS.join(', ')}, not "${values.to}".`);
    const fromServer = values['from-server'] as ServerKind | undefined;
    if (fromServer !== undefined && fromServer !== 'mlflow' && fromServer !== 'azureml') {
      throw new CliUsageError(`--from-server must be mlflow or azureml, not "${values['from-server']}".`);
    }
    const mlflowVersion = mlflowVersionFlag(values['mlflow-version']);
    const ct = values['content-type'];
    const contentType = bodyContentTypeFlag(ct, positionals[0]);

    let result: ConversionResult;
    try {
      const { body } = await readBody(positionals[0], io.cwd, process.stdin, io.signal);
      const payloads = new PayloadService(new ModelService(io.log));
      result = await payloads.convert(
        { body, contentType, to, modelPath: values.model === undefined ? null : resolve(io.cwd, values.model), fromServer: fromServer ?? null, mlflowVersion },
        { signal: io.signal },
      );
    } catch (err) {
      return reportError(err, io);
    }
    if (!result.ok) {
      const where = result.error.path && result.error.path !== '$' ? ` (at ${result.error.path})` : '';
      io.stderr(`preflight convert: cannot convert to ${to}: ${result.error.message}${where}\n`);
      return ExitCode.INVALID;
    }
    io.stdout(result.body.endsWith('\n') ? result.body : `${result.body}\n`);
    // The 1.x forms are read by the orient their Content-Type names: the header belongs to the body.
    if (result.contentType !== 'application/json') io.stderr(`note: send it with Content-Type: ${result.contentType}\n`);
    for (const n of result.notes) io.stderr(`note: ${n}\n`);
    for (const w of result.warnings) io.stderr(`warning: ${warningText(w)}\n`);
    return ExitCode.OK;
  },
};

