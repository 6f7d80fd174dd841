import { resolve } from 'node:path';
import { formatNumber, type Tolerance } from '@shared/compare/cells';
import { parseTargetSpec, type TargetSpec } from '@shared/compare/targets';
import { COMPARE_DEFAULTS, type CompareResultData } from '@shared/ipc/compare-contract';
import { REPLAY_DEFAULTS } from '@shared/ipc/replay-contract';
import { CompareService } from '../../services/compare/compare-service';
import { ModelService } from '../../services/model/model-service';
import { PayloadService } from '../../services/payload/payload-service';
import { readBody } from '../../services/payload/read-body';
import { CliUsageError, ExitCode, type CliCommand, type CliIo } from '../command';
import { reportError } from '../errors';
import { bodyContentTypeFlag, mlflowVersionFlag, parseCommandLine } from '../parse';
import { TRUST_OPTION, trustUsage } from '../trust-gate';
import { cliRunner } from './predict';
import { azureScoringPort } from '../../services/azure/azure-scoring-port';
import type { Composition } from '../../app/compose';
import { composeForCli } from './azure';
import { COMMON, workspaceFlags } from './azure-cli-common';
import { parseRowsPerRequest, runReplayCommand } from './compare-replay';

interface ToleranceOptions {
  tolerance: Tolerance;
  perOutput: Record<string, Tolerance>;
}

function toleranceNumber(text: string, flag: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < 0) throw new CliUsageError(`${flag}: "${text}" is not a non-negative number (e.g. 1e-6).`);
  return v;
}

/** `--tolerance 1e-6` (abs and rel), `--tolerance abs:1e-4`, `--tolerance rel:1e-3`, `--tolerance <output>=1e-3`. */
export function parseTolerances(values: readonly string[]): ToleranceOptions {
  const tolerance: Tolerance = { ...COMPARE_DEFAULTS.tolerance };
  const perOutput: Record<string, Tolerance> = {};
  for (const v of values) {
    const eq = v.lastIndexOf('=');
    if (eq > 0) {
      const x = toleranceNumber(v.slice(eq + 1), `--tolerance ${v}`);
      perOutput[v.slice(0, eq)] = { abs: x, rel: x };
    } else if (v.startsWith('abs:')) tolerance.abs = toleranceNumber(v.slice(4), `--tolerance ${v}`);
    else if (v.startsWith('rel:')) tolerance.rel = toleranceNumber(v.slice(4), `--tolerance ${v}`);
    else {
      const x = toleranceNumber(v, '--tolerance');
      tolerance.abs = x;
      tolerance.rel = x;
    }
  }
  return { tolerance, perOutput };
}

/** `--header 'Authorization: Bearer …'`. */
export function parseHeader(text: string): { name: string; value: string } {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  if (!name || /[^!#$%&'*+.^_`|~0-9A-Za-z-]/.test(name)) throw new CliUsageError(`--header must be 'Name: value' (e.g. 'azureml-model-deployment: blue'), not "${text.replace(/:.*/s, ': …')}".`);
  return { name, value: text.slice(colon + 1).trim() };
}

function printText(r: CompareResultData, io: CliIo): void {
  io.stdout(`${r.verdict.sentence}\n\n`);
  for (const t of r.targets) {
    const conv = t.request.converted ? ` (sent as ${t.request.to}, converted from ${t.request.from})` : '';
    if (t.response) io.stdout(`${t.name}  ${t.response.status}  ${formatNumber(Math.round(t.response.latency_ms))} ms${conv}\n`);
    else io.stdout(`${t.name}  no answer: ${t.error?.message ?? 'unknown'}${conv}\n`);
    if (t.rootCause) io.stdout(`  root cause: ${t.rootCause}\n`);
    for (const n of t.request.notes) io.stdout(`  note: ${n}\n`);
    for (const w of t.request.warnings) io.stdout(`  warning ${w.path}: ${w.message}\n`);
    const sent = t.request.body.length > 200 ? `${t.request.body.slice(0, 199)}…` : t.request.body;
    io.stdout(`  sent: ${sent}\n`);
  }
  for (const p of r.verdict.pairs) {
    for (const o of p.outputs) {
      if (o.mismatchCount === 0) continue;
      io.stdout(`\n${p.other} vs ${p.reference}, '${o.output}': ${o.mismatchCount} of ${o.rowsCompared} rows differ\n`);
      for (const m of o.mismatches.slice(0, 10)) io.stdout(`  row ${m.row}: ${JSON.stringify(m.reference)} vs ${JSON.stringify(m.other)} — ${m.why}\n`);
    }
  }
}

/** 0 all agree · 1 they disagree (or all refuse) · 3 a target gave no answer for a reason outside the request. */
function exitCodeOf(r: CompareResultData): number {
  if (r.verdict.agree) return ExitCode.OK;
  const environmental = r.targets.some((t) => t.response === null && t.error?.code !== 'E_CONVERSION');
  return environmental ? ExitCode.ENVIRONMENT : ExitCode.INVALID;
}

export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'Send one request to several targets (local runner, Azure ML / MLflow URLs, azure:<endpoint> of the signed-in workspace) and say whether they agree',
  usage: `Usage: preflight compare <model-dir> <body-file|-> --target T [--target T …] [--header 'K: V' …]
                         [--tolerance X …] [--timeout MS] [--content-type CT] [--mlflow-version X.Y] [--trust] [--json]
                         [--subscription S --resource-group G --workspace W] [--cloud FILE] [--cache-file FILE]
       preflight compare <model-dir> --replay <file.csv|example> --target T [--target T …] [--rows-per-request N] …

Sends the request to every target, converted to the form that target's server reads (Azure ML's input_data,
or an MLflow form), and compares the predictions: the shape each server answers in, the numbers within a
tolerance, the rows that differ, in one sentence on top.

  --target T          local:azureml | local:mlflow (the model run offline on that server's profile),
                      azureml:<url> | mlflow:<url> (a server that speaks for Azure ML's /score or MLflow's
                      /invocations, e.g. an endpoint or a teammate's mlflow models serve; an MLflow
                      URL is asked GET /version first, so it gets the forms its own version reads),
                      azure:<endpoint>[/<deployment>] (an online endpoint of the signed-in workspace, like
                      \`preflight azure invoke\`: its scoring URI and key or Entra token are looked up, the
                      deployment pinned with azureml-model-deployment; the workspace from --subscription
                      --resource-group --workspace or the saved defaults). Repeat; the first
                      target is the reference the others are compared with. At least two.
  --header 'K: V'     a header for URL targets (Authorization, azureml-model-deployment), also sent on an MLflow
                      URL's GET /version. Repeatable. Values of key/token/authorization headers are never
                      printed or logged.
  --tolerance X       numbers are equal when |a-b| <= X or |a-b| <= X*max(|a|,|b|) (default 1e-6).
                      abs:X / rel:X set one of the two; <output>=X sets one named output's tolerance.
  --timeout MS        per target (default ${COMPARE_DEFAULTS.timeoutMs}; a local target's first run loads the model)
  --content-type CT   the body's Content-Type (default application/json; text/csv for a .csv body file)
  --replay CSV        replay a whole CSV file (header row, then rows) through every target, N rows per request,
                      instead of one body; "example" replays the model's input example. Prints the agreement
                      rate, latency per target and the worst rows; exit 0 when every row agrees.
  --rows-per-request N  rows per replayed request (default ${REPLAY_DEFAULTS.rowsPerRequest})
  --json              print {"targets": [{name, spec, request, response, error, rootCause}], "verdict": {agree,
                      kind, sentence, tolerance, targets, pairs}} (schema: CompareResultSchema in
                      src/shared/ipc/compare-contract.ts)
${trustUsage(22)}

Exit codes: 0 all targets agree within the tolerance · 1 they disagree (or every target refuses the request) ·
            2 usage error · 3 a target gave no answer (connection refused, timeout) or the model cannot run here`,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(
      argv,
      {
        target: { type: 'string', multiple: true },
        header: { type: 'string', multiple: true },
        tolerance: { type: 'string', multiple: true },
        timeout: { type: 'string' },
        'content-type': { type: 'string' },
        'mlflow-version': { type: 'string' },
        ...COMMON,
        ...TRUST_OPTION,
        replay: { type: 'string' },
        'rows-per-request': { type: 'string' },
      },
      { min: 1, max: 2, names: '<model-dir> <body-file|->' },
    );
    const replay = values.replay;
    if (replay === undefined && positionals.length < 2) throw new CliUsageError('Missing <body-file|-> (or --replay <file.csv|example>).');
    if (replay !== undefined && positionals.length > 1) throw new CliUsageError('--replay sends the rows of a CSV file; give either a body file or --replay, not both.');
    const rowsPerRequest = parseRowsPerRequest(values['rows-per-request']);
    const targets: TargetSpec[] = (values.target ?? []).map((t) => {
      const p = parseTargetSpec(t);
      if (!p.ok) throw new CliUsageError(`--target ${p.message}`);
      return p.spec;
    });
    if (targets.length < 2) throw new CliUsageError(`Name at least two --target values to compare (got ${targets.length}); e.g. --target local:azureml --target local:mlflow.`);
    const headers = (values.header ?? []).map(parseHeader);
    const { tolerance, perOutput } = parseTolerances(values.tolerance ?? []);
    const timeoutMs = values.timeout === undefined ? COMPARE_DEFAULTS.timeoutMs : Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) throw new CliUsageError(`--timeout must be whole milliseconds between 1 and 600000, not "${values.timeout}".`);
    const ct = values['content-type'];
    const contentType = bodyContentTypeFlag(ct, positionals[1] ?? '-');
    const mlflowVersion = mlflowVersionFlag(values['mlflow-version']);

    const { runner, release } = cliRunner(io, values.trust);
    let cloud: Composition | null = null;
    try {
      const payload = new PayloadService(new ModelService(io.log));
      // Only a comparison with an azure:<endpoint> target signs in (the cache file) and reads the workspace defaults.
      if (targets.some((t) => t.kind === 'azure')) cloud = await composeForCli(io, values);
      const azure = cloud ? azureScoringPort(cloud.services.azure, workspaceFlags(values)) : undefined;
      const compare = new CompareService({ payload, runner, azure });
      if (replay !== undefined) {
        return await runReplayCommand(
          { compare, payload },
          { modelPath: resolve(io.cwd, positionals[0]!), replay, targets, headers, tolerance, perOutput, timeoutMs, rowsPerRequest, mlflowVersion },
          io,
          values.json === true,
        );
      }
      const { body } = await readBody(positionals[1]!, io.cwd, process.stdin, io.signal);
      const r = await compare.run(
        { modelPath: resolve(io.cwd, positionals[0]!), body, contentType, targets, headers, tolerance, perOutput, timeoutMs, mlflowVersion },
        { signal: io.signal },
      );
      if (io.signal.aborted) {
        io.stderr('preflight: cancelled\n');
        return ExitCode.INTERRUPTED;
      }
      if (values.json) io.stdout(`${JSON.stringify(r, null, 2)}\n`);
      else printText(r, io);
      return exitCodeOf(r);
    } catch (err) {
      return reportError(err, io);
    } finally {
      await release();
      await cloud?.dispose();
    }
  },
};
