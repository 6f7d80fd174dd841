/**
 * The app's "Python interpreter" setting: the first place interpreter discovery looks (before
 * PREFLIGHT_PYTHON, the active virtualenv/conda env and PATH; see `python/interpreter-discovery.ts`).
 *
 * A new value is probed before it is saved, so a typo or a file that is not Python is refused on the spot
 * with a sentence naming the path and what is wrong, instead of surfacing later as a failed model load.
 * The runner and the batch service read `current()` on every discovery, so a change applies to the next
 * model load; `PythonRunner` keys its cached discovery by this value, so no run keeps using a worker
 * started with the previous interpreter.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isRelativeInterpreter, relativeInterpreterMessage } from './interpreter-path';
import { AppError, ErrorCodes } from '@shared/errors';
import type { PythonInterpreterSettingData } from '@shared/ipc/contract';
import type { Logger } from '../../../ports/logger';
import { silentLogger } from '../../../ports/logger';
import type { AppStore } from '../../store/app-store';
import { DEFAULT_PROBE_TIMEOUT_MS, probeInterpreter } from './interpreter-probe';
import { MIN_PYTHON_VERSION, versionAtLeast } from './interpreter-discovery';
import { formatCount } from '@shared/format-count';

/** Key in the AppStore settings record. */
export const PYTHON_INTERPRETER_SETTING = 'python.interpreter';

/** Longest path accepted (also enforced by the IPC contract). */
export const MAX_INTERPRETER_PATH = 4096;

/** What the app shows about the setting and what discovery falls back to without it (`settings.getPythonInterpreter`). */
export type PythonInterpreterSettingView = PythonInterpreterSettingData;

export interface PythonInterpreterSettingOptions {
  store: Pick<AppStore, 'getSetting' | 'setSetting'>;
  /** Environment of the host (PREFLIGHT_PYTHON, VIRTUAL_ENV, CONDA_PREFIX, HOME); default process.env. */
  env?: Record<string, string | undefined>;
  probeTimeoutMs?: number;
  logger?: Logger;
}

export class PythonInterpreterSetting {
  private readonly env: Record<string, string | undefined>;
  private readonly log: Logger;
  /** Sets run one after another, so the last one the user made is the one that stays. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PythonInterpreterSettingOptions) {
    this.env = options.env ?? process.env;
    this.log = options.logger ?? silentLogger;
  }

  /**
   * The saved path for discovery, read on each model load. A value that is not a non-empty string (a
   * hand-edited store file) is ignored rather than handed to discovery as a path.
   */
  current(): string | null {
    const v = this.options.store.getSetting(PYTHON_INTERPRETER_SETTING);
    return typeof v === 'string' && v.trim() !== '' && !isRelativeInterpreter(v.trim()) ? v : null;
  }

  /** The setting and whether it still runs (the interpreter may have been removed since it was saved). */
  async describe(): Promise<PythonInterpreterSettingView> {
    const raw = this.options.store.getSetting(PYTHON_INTERPRETER_SETTING);
    const fallbacks = {
      PREFLIGHT_PYTHON: nonEmpty(this.env.PREFLIGHT_PYTHON),
      VIRTUAL_ENV: nonEmpty(this.env.VIRTUAL_ENV),
      CONDA_PREFIX: nonEmpty(this.env.CONDA_PREFIX),
    };
    if (raw === undefined || raw === null) return { path: null, interpreter: null, problem: null, fallbacks };
    const path = this.current();
    if (path === null && typeof raw === 'string' && isRelativeInterpreter(raw.trim())) {
      return { path: null, interpreter: null, problem: `${relativeInterpreterMessage(raw.trim())} The saved setting is ignored.`, fallbacks };
    }
    if (path === null) {
      return { path: null, interpreter: null, problem: `The saved Python interpreter setting is not a path (${JSON.stringify(raw).slice(0, 80)}); it is ignored. Set an interpreter or clear the setting.`, fallbacks };
    }
    const checked = await this.check(path);
    return checked.ok
      ? { path, interpreter: checked.interpreter, problem: null, fallbacks }
      : { path, interpreter: null, problem: `${path} ${checked.reason}. Choose another interpreter or clear the setting.`, fallbacks };
  }

  /**
   * Probes `path` and saves it when it runs a Python ≥ 3.8; `null` clears the setting. A path that is
   * relative, missing, not executable, not Python or too old throws E_INVALID_INPUT and leaves the saved
   * value as it was.
   */
  set(path: string | null): Promise<PythonInterpreterSettingView> {
    const run = async (): Promise<PythonInterpreterSettingView> => {
      if (path === null) {
        await this.options.store.setSetting(PYTHON_INTERPRETER_SETTING, null);
        this.log.info('python interpreter setting cleared; discovery uses PREFLIGHT_PYTHON, VIRTUAL_ENV, CONDA_PREFIX, then PATH');
        return this.describe();
      }
      const value = this.normalise(path);
      const checked = await this.check(value);
      if (!checked.ok) {
        throw new AppError(
          ErrorCodes.INVALID_INPUT,
          `The Python interpreter ${JSON.stringify(value)} ${checked.reason}. Nothing was saved. Give the full path of a Python ${MIN_PYTHON_VERSION.join('.')} or newer (e.g. /usr/bin/python3 or a virtualenv's bin/python), or Clear to let Preflight search PREFLIGHT_PYTHON, VIRTUAL_ENV, CONDA_PREFIX and PATH.`,
          { details: { path: value, reason: checked.reason } },
        );
      }
      await this.options.store.setSetting(PYTHON_INTERPRETER_SETTING, value);
      this.log.info(`python interpreter setting: ${value} (Python ${checked.interpreter.version})`);
      return this.describe();
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => {});
    return next;
  }

  /** `~/…` expanded; a relative path refused (the app's working folder means nothing to the user). */
  private normalise(input: string): string {
    const v = input.trim();
    if (v === '') throw new AppError(ErrorCodes.INVALID_INPUT, 'The Python interpreter path is empty; nothing was saved. Type the full path of a Python interpreter, or Clear the setting.', { details: { path: input } });
    if (v.length > MAX_INTERPRETER_PATH) throw new AppError(ErrorCodes.INVALID_INPUT, `The Python interpreter path is ${formatCount(v.length)} characters long; paths longer than ${formatCount(MAX_INTERPRETER_PATH)} are refused. Nothing was saved.`, { details: { path: v.slice(0, 200) } });
    const home = this.env.HOME ?? this.env.USERPROFILE ?? homedir();
    const expanded = v === '~' ? home : v.startsWith('~/') || v.startsWith('~\\') ? join(home, v.slice(2)) : v;
    // A bare command name ("python3.11") is looked up on PATH by discovery, as PREFLIGHT_PYTHON is.
    if (isRelativeInterpreter(expanded)) {
      throw new AppError(ErrorCodes.INVALID_INPUT, relativeInterpreterMessage(v, 'Nothing was saved.'), { details: { path: v, reason: 'relative path' } });
    }
    return expanded;
  }

  private async check(path: string): Promise<{ ok: true; interpreter: { executable: string; version: string } } | { ok: false; reason: string }> {
    const p = await probeInterpreter(path, [], this.options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS);
    if (!p.ok) return { ok: false, reason: p.reason };
    const { executable, version } = p.interpreter;
    if (!versionAtLeast(version, MIN_PYTHON_VERSION)) {
      return { ok: false, reason: `is Python ${version}; Preflight's worker needs Python ${MIN_PYTHON_VERSION.join('.')} or newer` };
    }
    return { ok: true, interpreter: { executable, version } };
  }
}

function nonEmpty(v: string | undefined): string | null {
  return v && v.trim() !== '' ? v : null;
}
