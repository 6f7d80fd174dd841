/**
 * Browser mode's write confinement. Over the WebSocket, the token is the user's whole power: a page or
 * script that obtained it could have `batch.run` write predictions.csv/summary.json anywhere the user can
 * write. So in browser mode, outputs go only into folders the user granted this session:
 *
 * - the model folder given at start (`preflight open <dir>`) and every model folder opened successfully
 *   (a folder that really holds an MLflow model, or the folder of a .onnx file);
 * - folders the user picked through the app's folder picker;
 * - folders named with `--allow-write <dir>` (repeatable) or PREFLIGHT_ALLOW_WRITE (path list).
 *
 * A grant covers the folder and everything below it, compared by real path (a symlink inside a granted
 * folder that points outside it does not extend the grant). The Electron host is not confined: its IPC
 * accepts calls only from the app's own frame.
 */
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, parse, relative, resolve, sep } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import type { Composition } from '../app/compose';
import { createDispatcher, type Dispatch, type Handlers } from '../ipc/dispatch';
import type { Logger } from '../ports/logger';

export class WriteGrants {
  private readonly roots = new Set<string>();

  /** Grants `dir` (and below); a folder that does not exist yet is granted by its resolved path. */
  async allow(dir: string): Promise<void> {
    this.roots.add(await realish(resolve(dir)));
  }

  list(): string[] {
    return [...this.roots];
  }

  /** Whether writing into `dir` (created if missing) stays inside a granted folder. */
  async allows(dir: string): Promise<boolean> {
    const real = await realish(resolve(dir));
    for (const root of this.roots) {
      const rel = relative(root, real);
      if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'))) return true;
    }
    return false;
  }

  /** Throws E_FORBIDDEN naming the folder and how to grant it. */
  async check(dir: string, what: string): Promise<void> {
    if (await this.allows(dir)) return;
    // Browser mode has no folder dialog to grant one from the page: the ways on are a model's folder or a restart
    // naming this folder, in the two ways browser mode is started (`npm start`, `preflight open`).
    const q = shellQuote(resolve(dir));
    throw new AppError(
      ErrorCodes.FORBIDDEN,
      `${what} ${resolve(dir)} is outside the folders this browser-mode session may write to (the folders of the models opened, and those allowed at start). ` +
        `Choose a folder inside the model's folder, or restart Preflight allowing this one: \`npm start -- <model-dir> --allow-write ${q}\` or \`preflight open <model-dir> --allow-write ${q}\` (or set PREFLIGHT_ALLOW_WRITE=${q}).`,
      { details: { path: resolve(dir), allowed: this.list() } },
    );
  }
}

/** A path as a POSIX shell reads it back: bare when it holds only safe characters, else in single quotes. */
function shellQuote(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

/**
 * The real path of `p`, or, when it does not exist yet, the real path of its nearest existing ancestor
 * with the rest appended (a folder batch will create is judged by where it will really be).
 */
async function realish(p: string): Promise<string> {
  const missing: string[] = [];
  let cur = p;
  for (;;) {
    try {
      const real = await realpath(cur);
      return missing.length ? resolve(real, ...missing.reverse()) : real;
    } catch {
      const up = dirname(cur);
      if (up === cur || cur === parse(cur).root) return p;
      missing.push(basename(cur));
      cur = up;
    }
  }
}

/** The handlers with browser mode's checks and grants around the calls that write or grant. */
export function confineWrites(handlers: Handlers, grants: WriteGrants): Handlers {
  const { model, batch } = handlers;
  return {
    ...handlers,
    model: {
      ...model,
      inspect: async (input, ctx) => {
        const report = await model.inspect(input, ctx);
        await grants.allow(report.kind === 'onnx-file' ? dirname(report.path) : report.path);
        return report;
      },
      pickFolder: async (input, ctx) => {
        const picked = await model.pickFolder(input, ctx);
        if (picked.path) await grants.allow(picked.path);
        return picked;
      },
    },
    batch: {
      ...batch,
      run: async (input, ctx) => {
        await grants.check(input.outDir, 'The output folder');
        return batch.run(input, ctx);
      },
    },
    azure: {
      ...handlers.azure,
      batchInvoke: async (input, ctx) => {
        await grants.check(input.outDir, 'The predictions folder');
        return handlers.azure.batchInvoke(input, ctx);
      },
      saveFiles: async (input, ctx) => {
        await grants.check(input.folder, 'The export folder');
        return handlers.azure.saveFiles(input, ctx);
      },
      // Reading is confined like writing: the token must not turn the preview into a reader of any .csv file.
      batchPreview: async (input, ctx) => {
        await grants.check(dirname(input.path), 'The predictions file');
        return handlers.azure.batchPreview(input, ctx);
      },
    },
    collections: {
      ...handlers.collections,
      save: async (input, ctx) => {
        await grants.check(input.folder, 'The collection folder');
        return handlers.collections.save(input, ctx);
      },
      rename: async (input, ctx) => {
        await grants.check(input.folder, 'The collection folder');
        return handlers.collections.rename(input, ctx);
      },
    },
  };
}

/**
 * Browser mode's dispatcher: the composition's handlers behind `confineWrites`, with the start-up grants
 * (the model given at start, `--allow-write` folders).
 */
export async function confinedDispatch(
  composition: Pick<Composition, 'handlers'>,
  options: { modelPath: string | null; allowWrite?: string[] },
  strictOutputs: boolean,
  log: Logger,
): Promise<Dispatch> {
  const grants = new WriteGrants();
  for (const dir of [...(options.modelPath ? [options.modelPath] : []), ...(options.allowWrite ?? [])]) await grants.allow(dir);
  return createDispatcher(confineWrites(composition.handlers, grants), { strictOutputs, log });
}
