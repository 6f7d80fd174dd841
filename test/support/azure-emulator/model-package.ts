/**
 * The emulator's model-package half (azure.md §3.9, §9 rows 28–29): environment versions (PUT/GET/list) and
 * `POST …/models/{name}/versions/{v}/package` (preview api-versions only) as an ARM long-running operation —
 * 202 + Location, polled until 200 with a PackageResponse. Requests and answers are checked against the
 * preview spec by the emulator like every other route.
 *
 * What the "image build" does is the emulator's own simplification of Azure's, aimed at the one thing that
 * matters for a private-link workspace: whether the build needs the network. It downloads the base
 * environment's Docker build context from the datastore (Azurite), reads its Dockerfile, and replays what pip
 * would do in a workspace without public network access: a `pip install` without `--no-index` (or a conda
 * environment with pip packages) fails as pip fails offline; with `--no-index --require-hashes -r file`, every
 * pinned requirement needs a wheel in the context whose SHA-256 matches its `--hash`. The build log is
 * written to the datastore and handed out as a SAS URL (`logUrl`), as Azure does. A successful build
 * registers the target environment version, which remembers the packaged model so a deployment that names
 * only the environment can start (the model is downloaded at start-up: mode Download).
 */
import { createHash, randomUUID } from 'node:crypto';
import { BlobSASPermissions, generateBlobSASQueryParameters, StorageSharedKeyCredential, type BlobServiceClient } from '@azure/storage-blob';
import { AZURITE_ACCOUNT, AZURITE_KEY } from './azurite';
import { systemData, wsPath, type WorkspaceState } from './arm-state';

type Json = Record<string, unknown>;
type Answer = { status: number; body?: unknown; headers?: Record<string, string> };
type Handler = (w: WorkspaceState | null, p: Record<string, string>, q: URLSearchParams, body: unknown) => Promise<Answer>;

export const PACKAGE_API_VERSIONS = ['2024-04-01-preview', '2023-08-01-preview'];

export interface EnvironmentVersionState {
  version: string;
  properties: Json;
  created: string;
  /** For environments made by the package operation: the model version baked into its start-up. */
  packagedModelId: string | null;
}

export interface PackageRouteContext {
  blobService: BlobServiceClient;
  containerOf(w: WorkspaceState): string;
  /** Starts a POST-style LRO (202 + Location) whose final 200 answer is `finalBody()`, checked against `operationId`'s spec. */
  startLro(w: WorkspaceState, operationId: string, work: Promise<void>, finalBody: () => unknown): Record<string, string>;
  fail(status: number, code: string, message: string): Error;
}

export interface ModelPackageRoutes {
  handlers: Record<string, Handler>;
  /** The model a deployment naming only a packaged environment loads (null when the environment packs none). */
  packagedModelFor(w: WorkspaceState, environmentId: string): string | null;
  environments(w: WorkspaceState): Map<string, Map<string, EnvironmentVersionState>>;
}

const ENV_ID = /\/environments\/([^/]+)\/versions\/([^/]+)$/i;

export function modelPackageRoutes(ctx: PackageRouteContext): ModelPackageRoutes {
  const byWorkspace = new WeakMap<WorkspaceState, Map<string, Map<string, EnvironmentVersionState>>>();
  const environments = (w: WorkspaceState): Map<string, Map<string, EnvironmentVersionState>> => {
    let m = byWorkspace.get(w);
    if (!m) byWorkspace.set(w, (m = new Map()));
    return m;
  };
  const envVersion = (w: WorkspaceState, id: string): { name: string; v: EnvironmentVersionState } | null => {
    const m = ENV_ID.exec(id.replace(/\/$/, ''));
    if (!m) return null;
    const versions = environments(w).get(decodeURIComponent(m[1]!).toLowerCase());
    const v = versions?.get(decodeURIComponent(m[2]!));
    return v ? { name: decodeURIComponent(m[1]!), v } : null;
  };
  const resource = (w: WorkspaceState, name: string, v: EnvironmentVersionState): Json => ({
    id: `${wsPath(w)}/environments/${name}/versions/${v.version}`,
    name: v.version,
    type: 'Microsoft.MachineLearningServices/workspaces/environments/versions',
    systemData: systemData(v.created),
    properties: { isAnonymous: false, isArchived: false, osType: 'Linux', environmentType: 'UserCreated', autoRebuild: 'Disabled', ...v.properties, provisioningState: 'Succeeded' },
  });
  const register = (w: WorkspaceState, name: string, version: string | null, properties: Json, packagedModelId: string | null): EnvironmentVersionState => {
    const key = name.toLowerCase();
    const versions = environments(w).get(key) ?? new Map<string, EnvironmentVersionState>();
    environments(w).set(key, versions);
    const next = version ?? String(Math.max(0, ...[...versions.keys()].map(Number).filter(Number.isFinite)) + 1);
    const v = { version: next, properties, created: versions.get(next)?.created ?? new Date().toISOString(), packagedModelId };
    versions.set(next, v);
    return v;
  };

  /** The build log goes to the workspace's storage; Azure hands out such logs as blob URLs with a read SAS. */
  async function publishLog(w: WorkspaceState, buildId: string, lines: string[]): Promise<string> {
    const container = ctx.containerOf(w);
    const name = `ImageBuildLogs/${buildId}/image_build_aggregate_log.txt`;
    const blob = ctx.blobService.getContainerClient(container).getBlockBlobClient(name);
    const text = `${lines.join('\n')}\n`;
    await blob.upload(text, Buffer.byteLength(text), { blobHTTPHeaders: { blobContentType: 'text/plain; charset=utf-8' } });
    const sas = generateBlobSASQueryParameters({ containerName: container, blobName: name, permissions: BlobSASPermissions.parse('r'), expiresOn: new Date(Date.now() + 3600_000) }, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY));
    return `${blob.url}?${sas.toString()}`;
  }

  /** Every file of a build context on the datastore, by path inside the context. */
  async function readContext(w: WorkspaceState, contextUri: string): Promise<Map<string, Buffer>> {
    const marker = `/${ctx.containerOf(w)}/`;
    const at = contextUri.indexOf(marker);
    if (at < 0) throw Object.assign(new Error(`build.contextUri ${contextUri} is not in the workspace's default datastore.`), { code: 'UserError' });
    const prefix = `${decodeURIComponent(contextUri.slice(at + marker.length).split('?')[0]!).replace(/\/$/, '')}/`;
    const client = ctx.blobService.getContainerClient(ctx.containerOf(w));
    const files = new Map<string, Buffer>();
    for await (const b of client.listBlobsFlat({ prefix })) files.set(b.name.slice(prefix.length), await client.getBlobClient(b.name).downloadToBuffer());
    return files;
  }

  /** pip in a workspace without public network access: what it can install from the build context alone. */
  function replayBuild(w: WorkspaceState, base: EnvironmentVersionState, files: Map<string, Buffer> | null, log: (line: string) => void): string | null {
    const offline = w.publicNetworkAccess === 'Disabled';
    const build = base.properties.build as { contextUri?: string; dockerfilePath?: string } | undefined;
    if (!files || !build) {
      const conda = String(base.properties.condaFile ?? '');
      log(`FROM ${String(base.properties.image ?? '(no image)')}`);
      if (offline && /\bpip\s*:/.test(conda)) return 'conda env create: pip could not reach https://pypi.org/simple/ (the workspace has no public network access): the conda file installs pip packages from the internet.';
      log('conda environment created.');
      return null;
    }
    const dockerfilePath = build.dockerfilePath ?? 'Dockerfile';
    const dockerfile = files.get(dockerfilePath)?.toString('utf8');
    if (dockerfile === undefined) return `Dockerfile not found at ${dockerfilePath} in the build context (${files.size} files).`;
    const steps = dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/).filter((l) => /^\s*[A-Z]+\s/.test(l));
    steps.forEach((s, i) => log(`Step ${i + 1}/${steps.length} : ${s.trim().replace(/\s+/g, ' ')}`));
    const pip = steps.find((s) => /\bpip\s+install\b/.test(s));
    if (!pip) return null;
    if (!/--no-index\b/.test(pip)) {
      return offline ? 'pip install: could not reach https://pypi.org/simple/ (the workspace has no public network access). Install from wheels in the build context with --no-index --find-links.' : null;
    }
    const req = /-r\s+(\S+)/.exec(pip)?.[1];
    // COPY <ctx-dir>/ <dest>/: map the image path back into the context.
    const copies = steps.map((s) => /^\s*COPY\s+(\S+)\s+(\S+)/.exec(s)).filter((m): m is RegExpExecArray => m !== null);
    const toContext = (imagePath: string): string | null => {
      for (const m of copies) {
        const dest = m[2]!.replace(/\/?$/, '/');
        if (imagePath.startsWith(dest)) return `${m[1]!.replace(/\/?$/, '/')}${imagePath.slice(dest.length)}`;
      }
      return null;
    };
    const reqFile = req ? toContext(req) : null;
    const text = reqFile ? files.get(reqFile)?.toString('utf8') : undefined;
    if (text === undefined) return `pip install: ERROR: Could not open requirements file ${req ?? '(none)'}: it is not in the build context.`;
    const wheels = new Map<string, string>();
    for (const [path, bytes] of files) if (path.endsWith('.whl')) wheels.set(createHash('sha256').update(bytes).digest('hex'), path);
    const pins = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const line of pins) {
      const spec = line.split(/\s+/)[0]!;
      const hashes = [...line.matchAll(/--hash=sha256:([0-9a-f]{64})/g)].map((m) => m[1]!);
      if (/--require-hashes/.test(pip) && hashes.length === 0) return `pip install: ERROR: Hashes are required in --require-hashes mode, but they are missing from ${spec}.`;
      const wheel = hashes.map((h) => wheels.get(h)).find(Boolean);
      if (!wheel) return `pip install: ERROR: Could not find a version that satisfies the requirement ${spec} (from versions: none). No wheel in the build context matches its hash, and the workspace cannot download one.`;
      log(`Processing ./${wheel}`);
    }
    log(`Successfully installed ${pins.map((l) => l.split(/\s+/)[0]!.replace('==', '-')).join(' ')}`);
    return null;
  }

  const handlers: Record<string, Handler> = {
    EnvironmentVersions_CreateOrUpdate: async (w, p, _q, body) => {
      const props = { ...((body as { properties: Json }).properties ?? {}) };
      const existing = environments(w!).get(p.name!.toLowerCase())?.get(p.version!);
      const v = register(w!, p.name!, p.version!, props, existing?.packagedModelId ?? null);
      return { status: existing ? 200 : 201, body: resource(w!, p.name!, v) };
    },
    EnvironmentVersions_Get: async (w, p) => {
      const v = environments(w!).get(p.name!.toLowerCase())?.get(p.version!);
      if (!v) throw ctx.fail(404, 'UserError', `Environment '${p.name}' version '${p.version}' was not found.`);
      return { status: 200, body: resource(w!, p.name!, v) };
    },
    EnvironmentVersions_List: async (w, p) => {
      const versions = environments(w!).get(p.name!.toLowerCase());
      return { status: 200, body: { value: versions ? [...versions.values()].map((v) => resource(w!, p.name!, v)) : [] } };
    },
    ModelVersions_Package: async (w, p, q, body) => {
      const apiVersion = [...q.entries()].find(([k]) => k.toLowerCase() === 'api-version')?.[1] ?? '';
      if (!PACKAGE_API_VERSIONS.includes(apiVersion)) throw ctx.fail(404, 'NoRegisteredProviderFound', `The package operation does not exist in api-version '${apiVersion}'; model packaging is preview-only (${PACKAGE_API_VERSIONS.join(', ')}).`);
      const modelId = `${wsPath(w!)}/models/${p.name}/versions/${p.version}`;
      const model = w!.models.get(p.name!.toLowerCase())?.versions.get(p.version!);
      if (!model) throw ctx.fail(404, 'UserError', `Model '${p.name}' version '${p.version}' was not found.`);
      const b = body as { targetEnvironmentId: string; inferencingServer: { serverType: string }; baseEnvironmentSource?: { baseEnvironmentSourceType: string; resourceId?: string }; modelConfiguration?: { mode?: string; mountPath?: string }; environmentVariables?: Record<string, string>; tags?: Record<string, string> };
      if (b.inferencingServer.serverType !== 'AzureMLOnline' && b.inferencingServer.serverType !== 'AzureMLBatch') throw ctx.fail(400, 'UserError', `The emulator packages MLflow models for AzureMLOnline or AzureMLBatch servers only, not ${b.inferencingServer.serverType}.`);
      if (w!.publicNetworkAccess === 'Disabled' && b.modelConfiguration?.mode === 'Copy') throw ctx.fail(400, 'UserError', 'Model configuration mode Copy is not supported in workspaces with private link; use Download.');
      const target = /^azureml:\/\/locations\/([^/]+)\/workspaces\/([^/]+)\/environments\/([^/]+)(?:\/versions\/([^/]+))?$/.exec(b.targetEnvironmentId);
      if (!target || target[2] !== w!.workspaceId) throw ctx.fail(400, 'UserError', `targetEnvironmentId '${b.targetEnvironmentId}' must be azureml://locations/<location>/workspaces/${w!.workspaceId}/environments/<name>[/versions/<n>].`);
      const baseId = b.baseEnvironmentSource?.resourceId?.replace(/^azureml:/, '') ?? '';
      const base = b.baseEnvironmentSource ? envVersion(w!, baseId) : null;
      if (b.baseEnvironmentSource && !base) throw ctx.fail(404, 'UserError', `Base environment '${b.baseEnvironmentSource.resourceId ?? ''}' was not found in workspace '${w!.name}'.`);
      const buildId = `emulated-build-${randomUUID().slice(0, 8)}`;
      const lines: string[] = [];
      const log = (line: string): void => void lines.push(`${new Date().toISOString()} ${line}`);
      let response: Json = {};
      const work = (async () => {
        log(`Packaging model ${p.name}:${p.version} for ${b.inferencingServer.serverType} (model mode ${b.modelConfiguration?.mode ?? 'Download'}); build ${buildId}`);
        const build = base?.v.properties.build as { contextUri?: string } | undefined;
        const files = build?.contextUri ? await readContext(w!, build.contextUri) : null;
        if (files) log(`Build context: ${files.size} files from ${build!.contextUri!.split('?')[0]}`);
        const problem = base ? replayBuild(w!, base.v, files, log) : w!.publicNetworkAccess === 'Disabled' ? 'No base environment: Azure would resolve the MLflow model\'s conda dependencies from the internet, which this workspace cannot reach.' : null;
        if (problem) {
          log(`ERROR ${problem}`);
          const logUrl = await publishLog(w!, buildId, lines);
          throw Object.assign(new Error(`Image build failed: ${problem} For more details, check log file ${logUrl}`), { code: 'BuildFailure' });
        }
        const name = target[3]!;
        const env = register(w!, name, target[4] ?? null, { image: `emulated${w!.name.replace(/[^a-z0-9]/gi, '').toLowerCase()}.azurecr.io/azureml/azureml_${buildId}`, description: `Packaged from model ${p.name}:${p.version} by the model package operation.`, tags: { ...(b.tags ?? {}), packagedModel: `${p.name}:${p.version}` } }, modelId);
        log(`Pushed image; registered environment ${name}:${env.version}.`);
        const logUrl = await publishLog(w!, buildId, lines);
        response = {
          targetEnvironmentId: `azureml://locations/${w!.location}/workspaces/${w!.workspaceId}/environments/${name}/versions/${env.version}`,
          buildId,
          buildState: 'Succeeded',
          logUrl,
          inferencingServer: b.inferencingServer,
          ...(b.baseEnvironmentSource ? { baseEnvironmentSource: b.baseEnvironmentSource } : {}),
          modelConfiguration: { mode: b.modelConfiguration?.mode ?? 'Download', ...(b.modelConfiguration?.mountPath ? { mountPath: b.modelConfiguration.mountPath } : {}) },
          ...(b.environmentVariables ? { environmentVariables: b.environmentVariables } : {}),
          ...(b.tags ? { tags: b.tags } : {}),
        };
      })();
      return { status: 202, headers: ctx.startLro(w!, 'ModelVersions_Package', work, () => response) };
    },
  };

  return {
    handlers,
    environments,
    packagedModelFor: (w, environmentId) => envVersion(w, environmentId.replace(/^azureml:/, ''))?.v.packagedModelId ?? null,
  };
}
