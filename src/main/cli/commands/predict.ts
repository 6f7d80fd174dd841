import { join, resolve } from 'node:path';
import { SERVER_KINDS, type ServerKind } from '@shared/mlflow/payload/validate';
import { wouldNotStart } from '@shared/mlflow/payload';
import { clipLongLines } from '@shared/text/clip-lines';
import { findPackage } from '../../app/package-root';
import { readBody } from '../../services/payload/read-body';
import { createRunner } from '../../services/runner/create-runner';
import type { RunnerService } from '../../services/runner/runner-service';
import { CliUsageError, ExitCode, type CliCommand, type CliIo } from '../command';
import { reportError } from '../errors';
import { convertHint } from '../format/convert-hint';
import { bodyContentTypeFlag, mlflowVersionFlag, parseCommandLine } from '../parse';
import { cliTrustGate, TRUST_OPTION, TRUST_USAGE } from '../trust-gate';
import { warningText } from '../format/text';

export function serverOption(value: string | undefined): ServerKind {
  const server = value ?? 'azureml';
  if (!(SERVER_KINDS as readonly string[]).includes(server)) throw new CliUsageError(`--server must be ${SERVER_KINDS.join(' or ')}, not "${server}".`);
  return server as ServerKind;
}

/** A development override for runs from TypeScript sources (tests), where no bundled worker sits beside the code. */
export const onnxWorkerFromEnv = (env: NodeJS.ProcessEnv): string | undefined => env.PREFLIGHT_ONNX_WORKER || undefined;

/**
 * The command's runner and how to let it go: the embedding code's (`io.runner`, left open), or the CLI's own — both
 * engines, the Python worker from the package's resources/ (PREFLIGHT_PYTHON etc. from io.env) — closed after use.
 */
export function cliRunner(io: CliIo, trust?: boolean): { runner: RunnerService; release(): Promise<void> } {
  if (io.runner) return { runner: io.runner, release: () => Promise.resolve() };
  const runner = createRunner({ resourcesDir: join(findPackage().root, 'resources'), logger: io.log, onnxWorkerPath: onnxWorkerFromEnv(io.env), env: io.env, trust: cliTrustGate(io, trust) });
  return { runner, release: () => runner.close() };
}

export const predictCommand: CliCommand = {
  name: 'predict',
  summary: 'Run the model on a request body offline and print the answer Azure ML or MLflow would give',
  usage: `Usage: preflight predict <model-dir> <body-file|-> [--server azureml|mlflow] [--content-type CT|none]
                         [--mlflow-version X.Y] [--json]

Runs the model locally (ONNX models without Python; other flavors in a local Python found through
PREFLIGHT_PYTHON, the active virtualenv/conda env or python3 on PATH) and prints what the server would answer to this
request body: status, the headers that matter, and the body byte for byte.

  --server azureml|mlflow   Azure ML no-code online endpoint (POST /score, default) or mlflow models serve
                            (POST /invocations)
  --content-type CT|none    the request's Content-Type (default application/json; text/csv for a .csv body
                            file; "none" sends no header)
  --mlflow-version X.Y      emulate this MLflow version instead of the one the model pins
  --json                    print {"status", "headers", "body", "body_text"}: body is the JSON body with
                            NaN/Infinity/-Infinity as strings (text bodies as a string); body_text is the
                            exact text, Python's float formatting included
${TRUST_USAGE}

Exit codes: 0 the server answers 2xx · 1 it answers with an error (or would not start) ·
            2 usage error · 3 the model or body file is missing or unreadable, or the model cannot run here`,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(
      argv,
      { server: { type: 'string' }, 'content-type': { type: 'string' }, 'mlflow-version': { type: 'string' }, json: { type: 'boolean' }, ...TRUST_OPTION },
      { min: 2, max: 2, names: '<model-dir> <body-file|->' },
    );
    const server = serverOption(values.server);
    const ct = values['content-type'];
    const contentType = bodyContentTypeFlag(ct, positionals[1]!);
    const mlflowVersion = mlflowVersionFlag(values['mlflow-version']);
    const { runner, release } = cliRunner(io, values.trust);
    try {
      const { body } = await readBody(positionals[1]!, io.cwd, process.stdin, io.signal);
      const r = await runner.predict({ modelPath: resolve(io.cwd, positionals[0]!), body, contentType, server, mlflowVersion }, { signal: io.signal, view: values.json === true });
      if (values.json) {
        io.stdout(`${JSON.stringify({ status: r.status, headers: r.headers, body: r.body, body_text: r.body_text }, null, 2)}\n`);
      } else if (r.status === 0) {
        io.stdout(`no answer: ${r.server_log ? clipLongLines(r.server_log) : wouldNotStart(server)}\n`);
      } else {
        io.stdout(`${r.status} ${Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`).join(' · ')}\n${r.body_text}${r.body_text.endsWith('\n') ? '' : '\n'}`);
      }
      if (r.status < 200 || r.status >= 300) {
        // The log quotes the values sent (a 50 MB string made a 50 MB line): cut where it is shown; the body above is exact.
        if (r.server_log) io.stderr(`server log: ${clipLongLines(r.server_log)}\n`);
        // What the payload engine saw on the way (an MLflow envelope sent to Azure, a column Azure types as object …):
        // the refusal's body alone seldom says what to change. `preflight validate` prints the same list.
        if (!values.json) {
          for (const w of r.warnings) io.stderr(`warning: ${warningText(w)}\n`);
          const hint = convertHint(server, r.warnings, positionals[1]!, positionals[0]!);
          if (hint) io.stderr(`${hint}\n`);
        }
        return ExitCode.INVALID;
      }
      return ExitCode.OK;
    } catch (err) {
      return reportError(err, io);
    } finally {
      await release();
    }
  },
};
