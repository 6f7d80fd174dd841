import { resolve } from 'node:path';
import { wouldNotStart, type ModelReceives, type ServerKind, type ValidationResult } from '@shared/mlflow/payload';
import { ModelService } from '../../services/model/model-service';
import { PayloadService } from '../../services/payload/payload-service';
import { readBody } from '../../services/payload/read-body';
import { ExitCode, type CliCommand } from '../command';
import { reportError } from '../errors';
import { show, table, truncate, warningText } from '../format/text';
import { convertHint } from '../format/convert-hint';
import { bodyContentTypeFlag, mlflowVersionFlag, parseCommandLine } from '../parse';
import { serverOption } from './predict';
import { pushAll } from '@shared/arrays';
import { clipLongLines } from '@shared/text/clip-lines';

const SERVER_NAMES: Record<ServerKind, string> = {
  azureml: 'Azure ML managed online endpoint (no-code MLflow deployment, POST /score)',
  mlflow: 'MLflow scoring server (mlflow models serve, POST /invocations)',
};

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'Tell what Azure ML or MLflow serve answers to a request body, and what the model receives',
  usage: `Usage: preflight validate <model-dir> <body-file|-> [--server azureml|mlflow] [--content-type CT|none]
                         [--mlflow-version X.Y] [--json]

Emulates, offline, what the server does with the request body (a file, or - for stdin): its exact
status and body when it rejects it, what the model would receive when it accepts it, and every silent
coercion on the way (truncated floats, "false" read as True, dropped columns, ignored keys …).

  --server azureml|mlflow   which server to emulate (default: azureml)
                            azureml: the no-code MLflow deployment of an Azure ML online endpoint
                            mlflow:  \`mlflow models serve\`
  --content-type CT|none    the request's Content-Type header (default: application/json; text/csv for
                            a .csv body file); none = the request has no Content-Type header
  --mlflow-version X.Y      emulate this MLflow version instead of the one the model pins
                            (its requirements' mlflow==X, else MLmodel's mlflow_version)
  --json                    print {"server","mlflow_version","ok","status","body","server_log",
                            "model_receives","params_received","warnings":[{code,message,path}]}

Exit codes: 0 the server would call the model · 1 the server would reject the request ·
            2 usage error · 3 the model folder or the body file is missing or unreadable`,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(
      argv,
      {
        server: { type: 'string' },
        'content-type': { type: 'string' },
        'mlflow-version': { type: 'string' },
        json: { type: 'boolean' },
      },
      { min: 2, max: 2, names: '<model-dir> <body-file|->' },
    );
    const server = serverOption(values.server);
    const ct = values['content-type'];
    const contentType = bodyContentTypeFlag(ct, positionals[1]);
    const mlflowVersion = mlflowVersionFlag(values['mlflow-version']);

    let result: ValidationResult;
    try {
      const { body } = await readBody(positionals[1], io.cwd, process.stdin, io.signal);
      const payloads = new PayloadService(new ModelService(io.log));
      result = await payloads.validate(
        { modelPath: resolve(io.cwd, positionals[0]), body, server, contentType, mlflowVersion },
        { signal: io.signal },
      );
    } catch (err) {
      return reportError(err, io);
    }
    io.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : formatValidation(result, contentType, { body: positionals[1], model: positionals[0] }));
    return result.ok ? ExitCode.OK : ExitCode.INVALID;
  },
};

/** How many rows / values of what the model receives the text output shows. */
const PREVIEW_ROWS = 5;

const bodyText = (body: unknown): string => (typeof body === 'string' ? body : JSON.stringify(body, null, 2));
const indent = (text: string, by = '  '): string => text.split('\n').map((l) => `${by}${l}`.trimEnd()).join('\n');

/** A cell as pandas prints it: floats keep their `.0` so a float64 column does not look like integers. */
function cellText(v: unknown, dtype: string | undefined): string {
  if (typeof v === 'number' && Number.isInteger(v) && dtype?.startsWith('float')) return `${v}.0`;
  if (v === null) return 'None';
  return show(v);
}

/** A preview of what the model receives: DataFrame columns with dtypes, ndarray shape and dtype, dict items. */
export function previewLines(m: ModelReceives, pad = '  '): string[] {
  switch (m.kind) {
    case 'DataFrame': {
      const shown = m.values.slice(0, PREVIEW_ROWS);
      const out = [`${pad}pandas DataFrame: ${m.nrows} row${m.nrows === 1 ? '' : 's'} × ${m.columns.length} column${m.columns.length === 1 ? '' : 's'}`];
      const headers = ['column', 'dtype', ...shown.map((_, r) => `row ${r}`)];
      const rows = m.columns.map((c, k) => [c, m.dtypes[c] ?? '?', ...shown.map((row) => cellText(row[k], m.dtypes[c]))]);
      pushAll(out, table(headers, rows, pad, 28));
      if (m.nrows > shown.length) out.push(`${pad}(${m.nrows - shown.length} more rows not shown; --json lists the first ${m.values.length})`);
      return out;
    }
    case 'ndarray':
      return [`${pad}numpy ndarray: dtype ${m.dtype}, shape (${m.shape.join(', ')}${m.shape.length === 1 ? ',' : ''})`, `${pad}  ${truncate(JSON.stringify(m.values), 160)}`];
    case 'dict': {
      const out = [`${pad}dict of ${Object.keys(m.items).length} item(s):`];
      for (const [k, v] of Object.entries(m.items)) {
        out.push(`${pad}  ${JSON.stringify(k)}:`);
        pushAll(out, previewLines(v, `${pad}    `));
      }
      return out;
    }
    default:
      return [`${pad}${m.pytype} (${m.kind}): ${truncate(JSON.stringify(m.value) ?? 'None', 160)}`];
  }
}

/** The human-readable form of `preflight validate`. */
export function formatValidation(r: ValidationResult, contentType: string | null, args?: { body: string; model: string }): string {
  const out: string[] = [];
  out.push(`Server:        ${SERVER_NAMES[r.server]}`);
  out.push(`Content-Type:  ${contentType ?? '(no header)'}`);
  out.push(`MLflow:        ${r.mlflow_version.version} (${r.mlflow_version.behaviour} behaviour) — ${r.mlflow_version.note}`);
  out.push('');
  if (r.ok) {
    out.push(`Result:        OK — the server would call the model (HTTP ${r.status})`);
  } else if (r.status === 0) {
    out.push(`Result:        NO ANSWER — ${wouldNotStart(r.server)}, so every request fails`);
  } else {
    out.push(`Result:        REJECTED — HTTP ${r.status}`);
    out.push('Response body:');
    out.push(indent(bodyText(r.body)));
  }
  if (r.server_log) {
    out.push('');
    out.push(r.server === 'azureml' ? 'Server log (Azure only writes this to the deployment log; the caller sees the body above):' : 'Server log:');
    out.push(indent(clipLongLines(r.server_log)));
  }
  if (r.model_receives) {
    out.push('');
    out.push('The model receives:');
    pushAll(out, previewLines(r.model_receives));
  }
  if (r.params_received) {
    out.push('');
    out.push(`Params passed to predict(): ${truncate(JSON.stringify(r.params_received), 200)}`);
  }
  out.push('');
  if (r.warnings.length === 0) {
    out.push('Warnings: none');
  } else {
    out.push(`Warnings (${r.warnings.length}): what the server does without saying so`);
    for (const w of r.warnings) out.push(`  - ${warningText(w)}`);
  }
  const hint = !r.ok && args ? convertHint(r.server, r.warnings, args.body, args.model) : null;
  if (hint) out.push('', hint);
  return `${out.join('\n')}\n`;
}
