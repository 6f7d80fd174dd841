import { resolve } from 'node:path';
import { wouldNotStart } from '@shared/mlflow/payload';
import { clipLongLines } from '@shared/text/clip-lines';
import { startScoringServer } from '../../services/server/scoring-server';
import { CliUsageError, ExitCode, type CliCommand } from '../command';
import { reportOptionOrError } from '../errors';
import { mlflowVersionFlag, parseCommandLine } from '../parse';
import { TRUST_OPTION, trustUsage } from '../trust-gate';
import { cliRunner, serverOption } from './predict';

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the model on 127.0.0.1 like an Azure ML online endpoint or mlflow models serve',
  usage: `Usage: preflight serve <model-dir> [--server azureml|mlflow] [--port N] [--key K] [--mlflow-version X.Y]

Serves the model on 127.0.0.1 until Ctrl+C, answering exactly as the chosen server would.

  --server azureml   POST /score (Authorization: Bearer <key>), GET / ("Healthy"), GET /swagger.json (default)
  --server mlflow    POST /invocations, GET /ping, /health, /version (no auth)
  --port N           port to listen on (default: any free port; the URL is printed)
  --key K            the Azure profile's key (default: a random key, printed once to this terminal)
  --mlflow-version   emulate this MLflow version instead of the one the model pins
${trustUsage(21)}

Each request is logged to stderr: time, method, path, status, milliseconds (never headers or keys).
When the real server would never start with the model and that MLflow version (it cannot read the signature, or
Azure's scoring script fails at import), a warning on stderr says why: every scoring request then gets 500 E_NOT_STARTED.

Exit codes: 0 stopped with Ctrl+C · 2 usage error · 3 the model cannot be loaded or the port is taken`,
  async run(argv, io) {
    const { values, positionals } = parseCommandLine(
      argv,
      { server: { type: 'string' }, port: { type: 'string' }, key: { type: 'string' }, 'mlflow-version': { type: 'string' }, ...TRUST_OPTION },
      { min: 1, max: 1, names: '<model-dir>' },
    );
    const server = serverOption(values.server);
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliUsageError(`--port must be a number from 0 to 65535, got "${values.port}".`);
    if (values.key !== undefined && server === 'mlflow') throw new CliUsageError('--key applies to --server azureml only (mlflow models serve has no auth).');
    const mlflowVersion = mlflowVersionFlag(values['mlflow-version']);
    const { runner, release } = cliRunner(io, values.trust);
    let s;
    try {
      s = await startScoringServer({ modelPath: resolve(io.cwd, positionals[0]!), server, port, key: values.key, mlflowVersion, runner });
    } catch (err) {
      await release();
      // the service checks the options it is given (a --key too short or with spaces): a usage error, like --port's
      return reportOptionOrError(err, io);
    }
    s.onRequest((e) =>
      // A crash/hang event is no request's answer: it carries only the error (the server restarts the model process).
      io.stderr(e.error !== undefined ? `${e.time} model process: ${clipLongLines(e.error)}\n` : `${e.time} ${e.method} ${e.path} ${e.status} ${e.ms.toFixed(1)}ms\n`),
    );
    const route = server === 'azureml' ? '/score' : '/invocations';
    // Like the real one, this server answers every scoring request of such a model "would not start"; say it at once
    const w = s.wouldNotStart;
    if (w !== null) {
      const todo = w.pinnedStarts !== null ? `Serve without --mlflow-version: the model pins MLflow ${w.pinnedStarts}, which reads it.` : (w.fix ?? '');
      io.stderr(`Warning: ${wouldNotStart(server)} with MLflow ${s.mlflowVersion}, so every scoring request gets 500 E_NOT_STARTED. ${w.reason} (${clipLongLines(w.log)}) ${todo}\n`);
    }
    io.stdout(`Serving ${positionals[0]} as ${server === 'azureml' ? 'an Azure ML online endpoint' : 'mlflow models serve'} (${s.engine} engine, MLflow ${s.mlflowVersion} behaviour) at ${s.url}${route}\n`);
    // The generated key is shown once, here only: it is never logged.
    if (s.key !== null && values.key === undefined) io.stdout(`Key: ${s.key}\n`);
    // A first-time user has the URL and a key but not the request that uses them: say it, in this server's form.
    const auth = server === 'azureml' ? ` -H "Authorization: Bearer <key>"` : '';
    const whose = values.key === undefined ? 'the key above' : 'your --key';
    io.stdout(
      `Send a request${server === 'azureml' ? ` (${whose} in place of <key>)` : ''}:\n` +
        `  curl -X POST ${s.url}${route}${auth} -H "Content-Type: application/json" -d @body.json\n`,
    );
    io.stdout('Press Ctrl+C to stop.\n');
    await new Promise<void>((done) => {
      if (io.signal.aborted) done();
      else io.signal.addEventListener('abort', () => done(), { once: true });
    });
    await s.close();
    // As predict does: wait for the Python workers to exit before the CLI does.
    await release();
    return ExitCode.OK;
  },
};
