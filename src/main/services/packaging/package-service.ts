/**
 * `PackageService`: builds the offline package of an MLflow model folder and verifies one (issue 9).
 *
 *   const packaging = new PackageService({ toolVersion });
 *   const summary = await packaging.build({ modelPath, out: 'model.tar.gz', wheels: 'wheels/' }, { onProgress });
 *   const report = await packaging.verify('model.tar.gz');
 *
 * Build: inspect the model → assemble the environment Azure would build (conda.yaml + inference image) →
 * resolve it offline against the wheelhouse (a package with gaps is not written: it would need the
 * network) → stream model/, environment/, wheels/, deploy/, README.md and manifest.json into one archive,
 * atomically. A build that fails or is cancelled resolves with status failed/cancelled and leaves no file.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError, ErrorCodes, isAppError } from '@shared/errors';
import type { CallInput } from '@shared/ipc/contract';
import type { ModelReport } from '@shared/mlflow/model-report';
import type { PackageBuildSummary, PackageManifest, PackageProgress, PackageTarget, PackageVerifyReport, ResolutionProof } from '@shared/packaging/package-report';
import type { ModelReader } from '../../ports/model-reader';
import { ModelService } from '../model/model-service';
import { Sha256Memo, type HashFile } from '../files/sha256-file';
import { ArchiveWriter, type ArchiveFormat } from './archive-writer';
import { assembleEnvironment } from './environment';
import { listModelFiles, UnsafeModelPathError } from './model-files';
import { resolveOffline, scanWheelhouse } from './resolver';
import { DEFAULT_PLATFORM, DEFAULT_PYTHON, targetProblem } from './target';
import { condaYaml, deployFiles, lockJson, readme, requirementsTxt, type TemplateFacts } from './templates';
import { verifyPackage, type VerifyOptions } from './verify';
import { pipDownload, type PipDownloadOptions } from './pip-download';
import { defaultWheelsDir, pipDownloadCommand, shellWord } from './pip-command';

/**
 * `package.build`'s request without the caller's `operationId`; `download` is the contract's (index, find-links)
 * plus what only headless callers set (which Python's pip runs, its timeout).
 */
export type PackageRequest = Omit<CallInput<'package', 'build'>, 'operationId' | 'download'> & { download?: PipDownloadOptions | null };

export interface BuildOptions {
  operationId?: string;
  signal?: AbortSignal;
  onProgress?: (p: PackageProgress) => void;
}

export interface PackageServiceOptions {
  models?: ModelReader;
  toolVersion: string;
  /** Minimum time between two byte-progress events (ms); step changes always go out. Default 100. */
  progressIntervalMs?: number;
  /** How a wheel is hashed (default: streamed sha256File); each build remembers the digests through a Sha256Memo. */
  hashFile?: HashFile;
}

export const MANIFEST_FORMAT = 'preflight-offline-package/1' as const;

export class PackageService {
  private readonly models: ModelReader;
  private readonly operations = new Map<string, AbortController>();

  constructor(private readonly options: PackageServiceOptions) {
    this.models = options.models ?? new ModelService();
  }

  cancel(operationId: string): boolean {
    const c = this.operations.get(operationId);
    if (!c) return false;
    c.abort();
    return true;
  }

  /** Validates the request (throws AppError E_INVALID_INPUT / E_NOT_FOUND); everything after resolves with a summary. */
  async build(request: PackageRequest, opts: BuildOptions = {}): Promise<PackageBuildSummary> {
    const started = Date.now();
    const operationId = opts.operationId ?? randomUUID();
    const format: ArchiveFormat = request.format ?? (/\.zip$/i.test(request.out) ? 'zip' : 'tar.gz');
    const out = resolve(request.out);
    const modelPath = resolve(request.modelPath);
    const wheels = request.wheels ? resolve(request.wheels) : null;
    await this.checkPaths(modelPath, out, wheels);

    const controller = new AbortController();
    const signal = opts.signal ? AbortSignal.any([opts.signal, controller.signal]) : controller.signal;
    this.operations.set(operationId, controller);
    const interval = this.options.progressIntervalMs ?? 100;
    let last = 0;
    const progress = (p: Omit<PackageProgress, 'operationId'>, force = false): void => {
      const now = Date.now();
      if (!force && now - last < interval) return;
      last = now;
      opts.onProgress?.({ operationId, ...p });
    };
    const summary = (status: PackageBuildSummary['status'], extra: Partial<PackageBuildSummary>): PackageBuildSummary => ({
      operationId, status, out, format, bytes: 0, files: 0, proof: null, error: null, ms: Date.now() - started, ...extra,
    });

    let writer: ArchiveWriter | null = null;
    let proof: ResolutionProof | null = null;
    let downloads: string | null = null;
    try {
      progress({ step: 'inspect', bytesDone: 0, bytesTotal: 0, file: null }, true);
      const report = await this.models.inspect(modelPath, { signal });
      if (report.kind !== 'mlflow-folder' || !report.mlmodel) {
        throw new AppError(ErrorCodes.NOT_A_MODEL, `${modelPath} is not an MLflow model folder (no MLmodel); only MLflow folders can be packaged.`);
      }
      const env = assembleEnvironment(report);
      const target: PackageTarget = {
        python: request.python ?? DEFAULT_PYTHON,
        platform: request.platform ?? DEFAULT_PLATFORM,
        deployment: request.deployment ?? 'online',
      };
      const problem = targetProblem(target);
      if (problem) throw new AppError(ErrorCodes.INVALID_INPUT, problem);

      progress({ step: 'resolve', bytesDone: 0, bytesTotal: 0, file: null }, true);
      let wheelhouse = await scanWheelhouse(wheels);
      // Where a gap's `pip download -d` points: the folder chosen, else one beside the model (a path, never `<wheels>`).
      const wheelsDir = wheels ?? defaultWheelsDir(modelPath);
      // One memo per build: the second resolution (after --download) does not hash the same wheels again.
      const hashes = new Sha256Memo(this.options.hashFile);
      proof = await resolveOffline(env.roots, wheelhouse, target, { signal, hashes, wheelsDir });
      if (!proof.ok && request.download) {
        // Only what the folder lacks is fetched, for the target's Python and platform; then resolve again over both.
        progress({ step: 'resolve', bytesDone: 0, bytesTotal: 0, file: 'pip download' }, true);
        downloads = await mkdtemp(join(tmpdir(), 'preflight-pip-download-'));
        const fetched = await pipDownload(env.roots.map((r) => r.raw), target, downloads, request.download, signal);
        wheelhouse = [...wheelhouse, ...(await scanWheelhouse(downloads)).filter((w) => !wheelhouse.some((x) => x.file === w.file))];
        proof = await resolveOffline(env.roots, wheelhouse, target, { signal, hashes, wheelsDir });
        proof.notes.push(`pip download (${fetched.python}) fetched ${fetched.files.length} wheel${fetched.files.length === 1 ? '' : 's'} for CPython ${target.python} ${target.platform}${fetched.problem ? `; pip said: ${fetched.problem}` : ''}.`);
      }
      proof.notes = [...env.notes, ...proof.notes];
      if (env.modelPython && env.modelPython.split('.').slice(0, 2).join('.') !== target.python.split('.').slice(0, 2).join('.')) {
        const modelMinor = env.modelPython.split('.').slice(0, 2).join('.');
        proof.notes.push(`The model was logged with Python ${env.modelPython}; the package targets ${target.python} (to target the model's Python: --python ${modelMinor}, or Python ${modelMinor} in the Package tab).`);
      }
      if (!proof.ok) {
        const n = proof.gaps.length;
        // Nothing to resolve against at all says more than the first gap: name the folder, or that none was given.
        const empty =
          wheelhouse.length > 0
            ? ''
            : wheels
              ? `The wheel folder ${wheels} holds no .whl files. `
              : `No wheel folder was given (--wheels, or the Package tab's Wheel folder), so every requirement is a gap: fill a folder with \`pip download … --only-binary=:all:\` on a connected machine and name it${request.download ? '' : ', or let pip fill it (--download, or "Download what the folder lacks")'}. `;
        return summary('failed', { proof, error: `${n} requirement${n === 1 ? '' : 's'} cannot be satisfied offline; no package was written. ${empty}${proof.gaps[0]!.message}${fetchAllHint(proof.gaps, target, wheels, defaultWheelsDir(modelPath))}` });
      }

      const modelFiles = await listModelFiles(modelPath, signal);
      const wheelFiles = proof.packages.map((p) => wheelhouse.find((w) => w.file === p.wheel)!);
      const wheelSizes = await Promise.all(wheelFiles.map(async (w) => (await stat(w.path)).size));
      const bytesTotal = modelFiles.reduce((s, f) => s + f.size, 0) + wheelSizes.reduce((s, n) => s + n, 0);
      let bytesDone = 0;
      progress({ step: 'write', bytesDone, bytesTotal, file: null }, true);
      writer = new ArchiveWriter(out, format, signal, (n, file) => {
        bytesDone += n;
        progress({ step: 'write', bytesDone: Math.min(bytesDone, bytesTotal), bytesTotal, file });
      });
      for (const f of modelFiles) await writer.addFile(`model/${f.rel}`, f.abs, f.size, f.mode);
      for (const [i, w] of wheelFiles.entries()) {
        // The archive hashes what it copies; a wheel whose bytes differ from the resolution's hash changed mid-build.
        const written = await writer.addFile(`wheels/${w.file}`, w.path, wheelSizes[i]!);
        if (written.sha256 !== proof.packages[i]!.sha256) throw new Error(`${w.path} changed while it was being packaged (its SHA-256 is not the one the resolution recorded).`);
      }
      const facts: TemplateFacts = { modelName: modelName(report), modelUuid: report.mlmodel.modelUuid, target, proof, roots: env.roots, modelPython: env.modelPython, toolVersion: this.options.toolVersion };
      await writer.addText('environment/requirements.txt', requirementsTxt(facts));
      await writer.addText('environment/conda.yaml', condaYaml(facts));
      await writer.addText('environment/lock.json', lockJson(facts));
      await writer.addText('environment/resolution-proof.json', `${JSON.stringify(proof, null, 2)}\n`);
      for (const [path, text] of Object.entries(deployFiles(facts))) await writer.addText(path, text);
      await writer.addText('README.md', readme(facts));
      const manifest: PackageManifest = {
        format: MANIFEST_FORMAT,
        tool: { name: 'preflight', version: this.options.toolVersion },
        createdAt: new Date().toISOString(),
        model: { uuid: report.mlmodel.modelUuid, name: modelName(report), flavors: report.mlmodel.flavors.map((f) => f.name) },
        target,
        files: writer.entries.map((e) => ({ path: e.path, size: e.size, sha256: e.sha256 })),
      };
      await writer.addText('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
      const files = writer.entries.length;
      const bytes = await writer.commit();
      writer = null;
      progress({ step: 'done', bytesDone: bytesTotal, bytesTotal, file: null }, true);
      return summary('succeeded', { bytes, files, proof });
    } catch (err) {
      await writer?.abort();
      if (signal.aborted) return summary('cancelled', { proof, error: 'Cancelled; no package was written.' });
      if (err instanceof UnsafeModelPathError) return summary('failed', { proof, error: err.message });
      if (isAppError(err) && (err.code === ErrorCodes.INVALID_INPUT || err.code === ErrorCodes.NOT_A_MODEL || err.code === ErrorCodes.ENVIRONMENT)) throw err;
      if (isAppError(err)) return summary('failed', { proof, error: err.message });
      return summary('failed', { proof, error: `Writing ${out} failed: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      this.operations.delete(operationId);
      if (downloads) await rm(downloads, { recursive: true, force: true });
    }
  }

  async verify(packagePath: string, opts: Pick<VerifyOptions, 'signal' | 'onPass' | 'maxFiles'> = {}): Promise<PackageVerifyReport> {
    return verifyPackage(resolve(packagePath), { toolVersion: this.options.toolVersion, ...opts });
  }

  private async checkPaths(modelPath: string, out: string, wheels: string | null): Promise<void> {
    const model = await stat(modelPath).catch(() => null);
    if (!model) throw new AppError(ErrorCodes.NOT_FOUND, `Model folder not found: ${modelPath}.`);
    if (!model.isDirectory()) throw new AppError(ErrorCodes.NOT_A_MODEL, `${modelPath} is not a folder; pass the MLflow model folder (the one holding MLmodel).`);
    if (wheels !== null && !(await stat(wheels).catch(() => null))?.isDirectory()) {
      throw new AppError(ErrorCodes.NOT_FOUND, `Wheel folder not found: ${wheels}. Pass the folder you filled with \`pip download\`.`);
    }
    if (!/\.(tar\.gz|tgz|zip)$/i.test(out)) throw new AppError(ErrorCodes.INVALID_INPUT, `--out must end in .tar.gz, .tgz or .zip, got ${basename(out)}.`);
    const parent = await stat(dirname(out)).catch(() => null);
    if (!parent?.isDirectory()) throw new AppError(ErrorCodes.NOT_FOUND, `The folder for ${basename(out)} does not exist: ${dirname(out)}.`);
    const rel = out.startsWith(`${modelPath}/`);
    if (rel) throw new AppError(ErrorCodes.INVALID_INPUT, `--out ${out} is inside the model folder; the package would contain itself. Write it elsewhere.`);
  }
}

function modelName(report: ModelReport): string {
  return report.name || basename(report.path);
}


/**
 * One `pip download` for every requirement the wheelhouse lacks, into the folder the user named (the gaps' own
 * messages show one requirement each, into `<wheels>`): ` All 4 at once, on a connected machine: \`pip download …\`.`
 * Empty when another kind of gap remains (a conflict is not fixed by downloading), or when one wheel is missing and no
 * folder was named (the gap's own message is then that command).
 */
export function fetchAllHint(gaps: readonly { kind: string; requirement: string }[], target: { python: string; platform: string }, wheels: string | null | undefined, defaultDir: string): string {
  const missing = [...new Set(gaps.filter((g) => g.kind === 'missing-wheel').map((g) => g.requirement))];
  if (missing.length === 0 || gaps.some((g) => g.kind !== 'missing-wheel')) return '';
  if (missing.length === 1 && !wheels) return '';
  const command = pipDownloadCommand(missing, target, wheels ?? defaultDir);
  const into = wheels ? '' : ` (then name ${shellWord(defaultDir)} as the wheel folder: --wheels, or the Package tab's Wheel folder)`;
  return ` ${missing.length === 1 ? 'Into the wheel folder' : `All ${missing.length} at once`}, on a connected machine: \`${command}\`${into}, then build again.`;
}
