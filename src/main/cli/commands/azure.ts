/**
 * `preflight azure <login|logout|workspaces|models|endpoints|deploy|invoke|logs|keys|delete>`: Azure ML from a
 * terminal, through compose() like the app (same settings: saved subscription/resource group/workspace).
 * Sign-in secrets stay in memory for one command unless a cache file is named (--cache-file /
 * PREFLIGHT_AZURE_CACHE, mode 0600). Other clouds and the emulator: --cloud <file> / PREFLIGHT_AZURE_CLOUD.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError, ErrorCodes, isAppError } from '@shared/errors';
import { compose, type Composition } from '../../app/compose';
import { findPackage } from '../../app/package-root';
import { defaultUserDataDir } from '../../app/user-data';
import { noDialogs } from '../../ports/dialogs';
import { FileSecretStore, MemorySecretStore } from '../../ports/secret-store';
import { azureTuningFromEnv, type AzureService } from '../../services/azure/azure-service';
import { readClientCertificate } from '../../services/azure/auth/client-certificate';
import { loadCloudFile, PUBLIC_CLOUD } from '../../services/azure/cloud';
import { readBody } from '../../services/payload/read-body';
import { saveExportFiles } from '../../services/azure/export-files';
import { CliUsageError, ExitCode, type CliCommand, type CliIo } from '../command';
import { reportError } from '../errors';
import { parseCommandLine } from '../parse';
import { COMMON, print, progressLine, workspaceFlags } from './azure-cli-common';
import { BATCH_USAGE, runAzureBatch } from './azure-batch';
import { onnxWorkerFromEnv } from './predict';
import { AZURE_PACKAGE_USAGE, azurePackageSub } from './azure-package';

const USAGE = `Usage: preflight azure <subcommand> [options]

Azure Machine Learning from the terminal: sign in, list workspaces, models and endpoints, deploy a model
folder as a managed online endpoint (no-code MLflow), call it, read its logs, delete it.

  login      --service-principal --tenant T --client-id C --client-secret S | --certificate FILE
                                   (FILE: PEM with the private key and the certificate, as for az login)
             | --device-code --tenant T [--client-id C]      (default method; prints a code to enter)
             | --azure-cli [--tenant T]                      (tokens from \`az account get-access-token\`)
  logout     forget the sign-in (clears the cache file's Azure entries)
  workspaces [--use NAME]       list the workspaces of every subscription the sign-in sees (or of --subscription;
                                private-link ones flagged); --use saves one as the default
  models                        list registered models of the workspace
  endpoints                     list online endpoints with their deployments and traffic
  deploy <model-dir> --endpoint E [--deployment D] [--instance-type T] [--instance-count N]
             [--auth-mode key|aad] [--model-name N] [--ignore-findings]
             register the folder (upload to the default datastore), create/update the endpoint and the
             deployment, set 100 % traffic, wait until it succeeds; --json prints
             {"endpoint","deployment","scoringUri","model":{"name","version"},"state"}
  invoke --endpoint E <body-file|-> [--deployment D] [--content-type CT]
             call the endpoint (key or Entra token, whichever the endpoint uses); --json prints
             {"status","headers","body","body_text"} like \`preflight predict --json\`
  logs --endpoint E [--deployment D] [--container inference-server|storage-initializer] [--tail N]
  keys --endpoint E --show [--which primary|secondary]
             print one of a key-auth endpoint's keys on stdout, only with --show (e.g.
             KEY=$(preflight azure keys --endpoint E --show)); never logged or written to a file;
             --json prints {"endpoint","which","key"}
  export --endpoint E | --batch-endpoint B [--out DIR [--force]]
             what was deployed as Azure ML CLI v2 YAML for git, into DIR or to stdout (a DIR that is not
             empty is refused unless --force, which replaces files of the same name): the models
             (model-<name>-<version>.yml) and, online, endpoint.yml, deployment-<name>.yml, traffic.txt;
             batch, batch-endpoint.yml, batch-deployment-<name>.yml; --json prints {"files":[...]}
  delete --endpoint E           delete the endpoint and its deployments (waits until done)
${BATCH_USAGE}
${AZURE_PACKAGE_USAGE}

Options for every subcommand:
  --cloud FILE          a cloud other than public Azure: {"name","armEndpoint","authorityHost","scoringScope",
                        "caFile"?} (or PREFLIGHT_AZURE_CLOUD=FILE)
  --cache-file FILE     keep the sign-in between commands in FILE (mode 0600, not encrypted; or
                        PREFLIGHT_AZURE_CACHE=FILE). Without it the sign-in lasts one command.
  --subscription S --resource-group G --workspace W
                        the workspace (default: what \`login\`/\`workspaces --use\` saved)
  --json                machine-readable output on stdout

Exit codes: 0 ok · 1 the endpoint answered an error, or the model has error findings · 2 usage error
            (also: no workspace given or saved) · 3 Azure error, network, not signed in`;

const SUBCOMMANDS = ['login', 'logout', 'workspaces', 'models', 'endpoints', 'deploy', 'invoke', 'logs', 'keys', 'export', 'delete', 'batch', 'package'] as const;
type Sub = (typeof SUBCOMMANDS)[number];

/** Also used by `preflight compare` for azure:<endpoint> targets. */
export async function composeForCli(io: CliIo, values: { cloud?: string; 'cache-file'?: string }): Promise<Composition> {
  const cloudFile = values.cloud ?? io.env.PREFLIGHT_AZURE_CLOUD;
  const cacheFile = values['cache-file'] ?? io.env.PREFLIGHT_AZURE_CACHE;
  const root = findPackage().root;
  return compose({
    dialogs: noDialogs,
    log: io.log,
    userDataDir: defaultUserDataDir(io.env),
    host: 'cli',
    resourcesDir: join(root, 'resources'),
    initialModelPath: null,
    version: findPackage().version,
    strictOutputs: false,
    onnxWorkerPath: onnxWorkerFromEnv(io.env),
    azureCloud: cloudFile ? await loadCloudFile(resolve(io.cwd, cloudFile)) : PUBLIC_CLOUD,
    secretStore: cacheFile ? new FileSecretStore(resolve(io.cwd, cacheFile)) : new MemorySecretStore(),
    azureTuning: azureTuningFromEnv(io.env),
  });
}

async function runSub(sub: Sub, argv: string[], io: CliIo, azure: AzureService): Promise<number> {
  const ws = (v: Parameters<typeof workspaceFlags>[0]) => azure.workspaceRef(workspaceFlags(v));
  switch (sub) {
    case 'login': {
      const { values } = parseCommandLine(argv, { ...COMMON, 'service-principal': { type: 'boolean' }, 'device-code': { type: 'boolean' }, 'azure-cli': { type: 'boolean' }, tenant: { type: 'string' }, 'client-id': { type: 'string' }, 'client-secret': { type: 'string' }, certificate: { type: 'string' } }, { min: 0, max: 0, names: '(no arguments)' });
      const methods = [values['service-principal'], values['device-code'], values['azure-cli']].filter(Boolean).length;
      if (methods > 1) throw new CliUsageError('Choose one of --service-principal, --device-code, --azure-cli.');
      let state;
      if (values['service-principal']) {
        const certificate = values.certificate ?? io.env.AZURE_CLIENT_CERTIFICATE_PATH;
        const secret = values['client-secret'] ?? (certificate ? undefined : io.env.AZURE_CLIENT_SECRET);
        if (!values.tenant || !values['client-id'] || (!secret && !certificate)) throw new CliUsageError('--service-principal needs --tenant, --client-id and --client-secret (or AZURE_CLIENT_SECRET) or --certificate FILE.');
        if (secret && certificate) throw new CliUsageError('--service-principal takes --client-secret or --certificate, not both.');
        state = certificate
          ? await azure.login({ method: 'service-principal', tenant: values.tenant, clientId: values['client-id'], certificatePem: await readClientCertificate(resolve(io.cwd, certificate)) })
          : await azure.login({ method: 'service-principal', tenant: values.tenant, clientId: values['client-id'], clientSecret: secret! });
      } else if (values['azure-cli']) {
        state = await azure.login({ method: 'azure-cli', tenant: values.tenant });
      } else {
        if (!values.tenant) throw new CliUsageError('--device-code needs --tenant (your directory id or domain, or "organizations").');
        state = await azure.login({ method: 'device-code', tenant: values.tenant, clientId: values['client-id'], onCode: (p) => io.stderr(`${p.message}\n`), signal: io.signal });
      }
      const saved = await azure.setDefaults({ ...(values.subscription ? { subscription: values.subscription } : {}), ...(values['resource-group'] ? { resourceGroup: values['resource-group'] } : {}), ...(values.workspace ? { workspace: values.workspace } : {}) });
      if (!io.env.PREFLIGHT_AZURE_CACHE && !values['cache-file']) io.stderr('note: signed in for this command only; pass --cache-file FILE (or PREFLIGHT_AZURE_CACHE) to stay signed in.\n');
      print(io, !!values.json, { ...state, defaults: saved }, `signed in (${state.method}) as ${state.account ?? 'unknown'} in tenant ${state.tenant}; secrets kept ${state.secretStore}`);
      return ExitCode.OK;
    }
    case 'logout': {
      const { values } = parseCommandLine(argv, COMMON, { min: 0, max: 0, names: '(no arguments)' });
      const state = await azure.logout();
      print(io, !!values.json, state, 'signed out');
      return ExitCode.OK;
    }
    case 'workspaces': {
      const { values } = parseCommandLine(argv, { ...COMMON, use: { type: 'string' } }, { min: 0, max: 0, names: '(no arguments)' });
      const list = await azure.workspaces(values.subscription);
      if (values.use) {
        const matches = list.filter((x) => x.name.toLowerCase() === values.use!.toLowerCase());
        const where = values.subscription ? `subscription ${values.subscription}` : 'the subscriptions this sign-in sees';
        if (matches.length === 0) throw new AppError(ErrorCodes.NOT_FOUND, `No workspace named "${values.use}" in ${where}${list.length ? ` (there: ${list.map((x) => x.name).join(', ')})` : ''}.`);
        if (matches.length > 1) throw new AppError(ErrorCodes.INVALID_INPUT, `${matches.length} workspaces are named "${values.use}" (${matches.map((x) => `resource group ${x.resourceGroup}, subscription ${x.subscription}`).join('; ')}): add --subscription (and --resource-group) to say which.`);
        const w = matches[0]!;
        await azure.setDefaults({ subscription: w.subscription, resourceGroup: w.resourceGroup, workspace: w.name });
        // Said on stderr, so --json's stdout stays the list.
        io.stderr(`default workspace saved: ${w.name} (resource group ${w.resourceGroup}, subscription ${w.subscription}); later commands use it unless --workspace says otherwise\n`);
      }
      print(io, !!values.json, list, list.map((w) => `${w.name}\t${w.resourceGroup}\t${w.location}${w.privateLink ? '\tprivate link: package the model for private networks before deploying' : ''}`).join('\n') || '(no workspaces)');
      return ExitCode.OK;
    }
    case 'models': {
      const { values } = parseCommandLine(argv, COMMON, { min: 0, max: 0, names: '(no arguments)' });
      const list = await azure.models(ws(values));
      print(io, !!values.json, list, list.map((m) => `${m.name}\tlatest ${m.latestVersion ?? '-'}`).join('\n') || '(no models)');
      return ExitCode.OK;
    }
    case 'endpoints': {
      const { values } = parseCommandLine(argv, COMMON, { min: 0, max: 0, names: '(no arguments)' });
      const list = await azure.endpoints(ws(values));
      print(io, !!values.json, list, list.map((e) => `${e.name}\t${e.state}\t${e.authMode}\t${e.scoringUri ?? ''}\n${e.deployments.map((d) => `  ${d.name}\t${d.state}\t${e.traffic[d.name] ?? 0}%`).join('\n')}`).join('\n') || '(no endpoints)');
      return ExitCode.OK;
    }
    case 'deploy': {
      const { values, positionals } = parseCommandLine(
        argv,
        { ...COMMON, endpoint: { type: 'string' }, deployment: { type: 'string' }, 'instance-type': { type: 'string' }, 'instance-count': { type: 'string' }, 'auth-mode': { type: 'string' }, 'model-name': { type: 'string' }, 'ignore-findings': { type: 'boolean' } },
        { min: 1, max: 1, names: '<model-dir>' },
      );
      if (!values.endpoint) throw new CliUsageError('deploy needs --endpoint NAME.');
      const count = values['instance-count'] === undefined ? 1 : Number(values['instance-count']);
      if (!Number.isInteger(count) || count < 1) throw new CliUsageError(`--instance-count must be a whole number ≥ 1, not "${values['instance-count']}".`);
      const mode = values['auth-mode'] ?? 'key';
      if (mode !== 'key' && mode !== 'aad') throw new CliUsageError(`--auth-mode must be key or aad, not "${mode}".`);
      const r = await azure.deploy(ws(values), {
        modelDir: resolve(io.cwd, positionals[0]!),
        endpoint: values.endpoint,
        deployment: values.deployment,
        instanceType: values['instance-type'],
        instanceCount: count,
        authMode: mode === 'aad' ? 'AADToken' : 'Key',
        modelName: values['model-name'],
        ignoreFindings: values['ignore-findings'],
        onProgress: progressLine(io),
        signal: io.signal,
      });
      const out = { endpoint: r.endpoint, deployment: r.deployment, scoringUri: r.scoringUri, model: r.model, state: r.state };
      print(io, !!values.json, out, `deployed ${r.model.name}:${r.model.version} to ${r.endpoint}/${r.deployment} (${r.state}); scoring URI ${r.scoringUri}`);
      return ExitCode.OK;
    }
    case 'invoke': {
      const { values, positionals } = parseCommandLine(argv, { ...COMMON, endpoint: { type: 'string' }, deployment: { type: 'string' }, 'content-type': { type: 'string' } }, { min: 1, max: 1, names: '<body-file|->' });
      if (!values.endpoint) throw new CliUsageError('invoke needs --endpoint NAME.');
      const { body } = await readBody(positionals[0]!, io.cwd, process.stdin, io.signal);
      const ct = values['content-type'];
      const r = await azure.invoke(ws(values), { endpoint: values.endpoint, deployment: values.deployment ?? null, body, contentType: ct === undefined ? 'application/json' : ct === 'none' ? null : ct, signal: io.signal });
      if (values.json) io.stdout(`${JSON.stringify({ status: r.status, headers: r.headers, body: r.body, body_text: r.body_text }, null, 2)}\n`);
      else io.stdout(`${r.status}${r.requestId ? ` (x-request-id ${r.requestId})` : ''}\n${r.body_text}${r.body_text.endsWith('\n') ? '' : '\n'}`);
      if (r.explanation) io.stderr(`${r.explanation}${r.requestId ? ` (x-request-id ${r.requestId})` : ''}\n`);
      return r.status >= 200 && r.status < 300 ? ExitCode.OK : ExitCode.INVALID;
    }
    case 'logs': {
      const { values } = parseCommandLine(argv, { ...COMMON, endpoint: { type: 'string' }, deployment: { type: 'string' }, container: { type: 'string' }, tail: { type: 'string' } }, { min: 0, max: 0, names: '(no arguments)' });
      if (!values.endpoint) throw new CliUsageError('logs needs --endpoint NAME.');
      const container = values.container ?? 'inference-server';
      if (container !== 'inference-server' && container !== 'storage-initializer') throw new CliUsageError(`--container must be inference-server or storage-initializer, not "${container}".`);
      const tail = values.tail === undefined ? 200 : Number(values.tail);
      if (!Number.isInteger(tail) || tail < 1) throw new CliUsageError(`--tail must be a whole number ≥ 1, not "${values.tail}".`);
      const r = await azure.logs(ws(values), { endpoint: values.endpoint, deployment: values.deployment ?? null, container: container === 'inference-server' ? 'InferenceServer' : 'StorageInitializer', tail });
      // An empty log printed as an empty line reads like a broken command: say what it means on stderr (stdout stays the log).
      if (!values.json && r.text.trim() === '') io.stderr(`${emptyLogNote(r.deployment, container)}\n`);
      else print(io, !!values.json, r, r.text);
      return ExitCode.OK;
    }
    case 'keys': {
      const { values } = parseCommandLine(argv, { ...COMMON, endpoint: { type: 'string' }, show: { type: 'boolean' }, which: { type: 'string' } }, { min: 0, max: 0, names: '(no arguments)' });
      if (!values.endpoint) throw new CliUsageError('keys needs --endpoint NAME.');
      const which = values.which ?? 'primary';
      if (which !== 'primary' && which !== 'secondary') throw new CliUsageError(`--which must be primary or secondary, not "${which}".`);
      // A key is a secret: it is printed only when asked for in so many words, and only on stdout.
      if (!values.show) throw new CliUsageError(`keys prints an endpoint key only when asked: add --show (the ${which} key goes to stdout, never to a log or a file).`);
      const key = await azure.endpointKey(ws(values), values.endpoint, which);
      print(io, !!values.json, { endpoint: values.endpoint, which, key }, key);
      return ExitCode.OK;
    }
    case 'export': {
      const { values } = parseCommandLine(argv, { ...COMMON, endpoint: { type: 'string' }, 'batch-endpoint': { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } }, { min: 0, max: 0, names: '(no arguments)' });
      if (!values.endpoint === !values['batch-endpoint']) throw new CliUsageError('export needs --endpoint NAME (online) or --batch-endpoint NAME (batch), one of them.');
      if (values.force && !values.out) throw new CliUsageError('--force only applies with --out DIR (it lets export write into a folder that is not empty).');
      const dir = values.out ? resolve(io.cwd, values.out) : null;
      // Checked before asking Azure, so a refusal costs nothing; the app asks before replacing, the CLI needs --force.
      if (dir && !values.force) await refuseNonEmptyFolder(dir);
      const files = values.endpoint ? await azure.exportYaml(ws(values), values.endpoint) : await (await azure.batch()).exportYaml(ws(values), values['batch-endpoint']!);
      if (dir) {
        // Each file atomically (temp + rename), as the app's Save files.
        const { written } = await saveExportFiles(dir, files, true);
        print(io, !!values.json, { files: written }, written.map((f) => `wrote ${f}`).join('\n'));
      } else {
        print(io, !!values.json, { files: files.map((f) => ({ name: f.name, content: f.content })) }, files.map((f) => `# ${f.name}\n${f.content}`).join('---\n'));
      }
      return ExitCode.OK;
    }
    case 'batch':
      return runAzureBatch(argv, io, azure);
    case 'package':
      return azurePackageSub(argv, io, azure, COMMON);
    case 'delete': {
      const { values } = parseCommandLine(argv, { ...COMMON, endpoint: { type: 'string' } }, { min: 0, max: 0, names: '(no arguments)' });
      if (!values.endpoint) throw new CliUsageError('delete needs --endpoint NAME.');
      const r = await azure.deleteEndpoint(ws(values), values.endpoint, progressLine(io), io.signal);
      print(io, !!values.json, { endpoint: values.endpoint, ...r }, r.deleted ? `deleted endpoint ${values.endpoint}` : `endpoint ${values.endpoint} did not exist`);
      return ExitCode.OK;
    }
  }
}

export const azureCommand: CliCommand = {
  name: 'azure',
  summary: 'Azure ML: sign in, list workspaces/models/endpoints, deploy a model, invoke it, read logs, delete',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub)) throw new CliUsageError(sub ? `unknown subcommand "${sub}".` : 'Missing subcommand.');
    let composition: Composition | null = null;
    try {
      composition = await composeForCli(io, parseLoose(rest));
      return await runSub(sub as Sub, rest, io, composition.services.azure);
    } catch (err) {
      if (err instanceof CliUsageError) {
        // The one subcommand's lines, not the 70-line overview: the error stays on screen above them.
        io.stderr(`preflight azure: ${err.message}\n\n${subcommandUsage(sub as Sub)}\n\nEvery subcommand and the options they share: preflight azure --help\n`);
        return ExitCode.USAGE;
      }
      if (isAppError(err) && err.code === ErrorCodes.INVALID_INPUT) {
        io.stderr(`preflight: ${err.message}\n`);
        return (err.details as { findings?: unknown } | undefined)?.findings ? ExitCode.INVALID : ExitCode.USAGE;
      }
      return reportError(err, io);
    } finally {
      await composition?.dispose();
    }
  },
};

/** What an empty container log means, and what to do: the container has not written yet (or not started). */
export function emptyLogNote(deployment: string, container: string): string {
  const other = container === 'inference-server' ? 'storage-initializer' : 'inference-server';
  return `(no lines yet in the ${container} log of deployment ${deployment}: the container has not written anything. While a deployment is created or updated its containers start only after the image is pulled and the model downloaded; run this again in a minute, look at --container ${other}, and check the deployment's state with \`preflight azure endpoints\`.)`;
}

/**
 * The usage lines of `sub` (each block of USAGE that starts with it, with its indented continuation lines), under
 * the usage line of the command, so a usage error shows what that subcommand takes.
 */
export function subcommandUsage(sub: Sub): string {
  const lines = USAGE.split('\n');
  const out: string[] = [];
  let inBlock = false;
  for (const line of lines) {
    const head = /^ {2}(\S+)/.exec(line);
    if (head) inBlock = head[1] === sub;
    else if (!/^ {3,}\S/.test(line)) inBlock = false;
    if (inBlock) out.push(line);
  }
  return `Usage: preflight azure ${sub} [options]\n${out.join('\n')}`;
}

/** `export --out DIR` into a folder holding anything already: a usage error naming --force (the app asks instead). */
async function refuseNonEmptyFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (!info) return;
  if (!info.isDirectory()) throw new CliUsageError(`--out ${dir} is a file: name a folder for the YAML files.`);
  const entries = await readdir(dir);
  if (entries.length === 0) return;
  const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, … (${entries.length} entries)` : '');
  throw new CliUsageError(`--out ${dir} is not empty (${shown}); nothing was written. Add --force to write into it (files of the same name are replaced), or name an empty or new folder.`);
}

/** --cloud and --cache-file are needed before the subcommand's own strict parse (which runs inside). */
function parseLoose(argv: string[]): { cloud?: string; 'cache-file'?: string } {
  const out: { cloud?: string; 'cache-file'?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    for (const name of ['cloud', 'cache-file'] as const) {
      if (a === `--${name}`) out[name] = argv[i + 1];
      else if (a.startsWith(`--${name}=`)) out[name] = a.slice(name.length + 3);
    }
  }
  return out;
}
