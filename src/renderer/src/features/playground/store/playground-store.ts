import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorData } from '@shared/errors';
import type { ClientApi } from '@shared/ipc/create-api';
import type { PayloadSample, ValidationResultData } from '@shared/ipc/contract';
import { HISTORY_BODY_CAP, type CompareHistoryEntryData, type CompareResultData } from '@shared/ipc/compare-contract';
import type { TargetSpec } from '@shared/compare/targets';
import { isSecretHeader, parseTargetSpec } from '@shared/compare/targets';
import { editorBody } from '../../../lib/editor-body';
import { toErrorData } from '../../../lib/errors';
import { contentTypeForText, detectFormat, formatsFor, serverOfFormat, type Format, type FormatOption } from './formats';
import { createReplayStore, type ReplayStore } from './replay-store';
import { createCollectionsStore, type CollectionsStore } from './collections-store';
import { csvToGrid, gridToCsv, type Grid } from './grid';
import { urlTargetProblem } from './url-target-hint';
import { azureSpecOf, azureTargetsIn, loadAzureEndpoints, type AzurePicker, type AzureTarget } from './azure-targets';
import { importCurl } from '@shared/compare/curl-import';
import type { SavedForData, SavedRequestData } from '@shared/ipc/collections-contract';
import { savedForNote } from '@shared/compare/model-identity';
import { losesAnything, losesText, lostSetup, setupKeys, type Losing, type ReplaceAsk, type Setup, type SetupKeys } from './unsaved';
import { isMlflowVersion, type MlflowVersionInfo } from '@shared/mlflow/payload';
import { sessionDrafts, type DraftKeeper } from './session-drafts';

/**
 * The payload playground (issue 10): one request, validated as you type by the payload engine, rewritten in
 * another form on demand, sent to two or more targets at once, with the verdict over their answers. One store
 * for the app's lifetime; the body is kept per model so switching models and tabs loses no edit.
 */

export interface UrlTarget {
  id: string;
  server: 'azureml' | 'mlflow';
  url: string;
}

export interface HeaderRow {
  id: string;
  name: string;
  /** Kept in this window's memory only: never stored, never logged; main masks it in what comes back. */
  value: string;
}

export type ValidationView =
  | { status: 'idle' }
  | { status: 'pending'; previous: ValidationResultData | null }
  | { status: 'done'; result: ValidationResultData; forBody: string }
  | { status: 'error'; error: ErrorData };

export type RunView =
  | { status: 'idle' }
  | { status: 'running'; opId: string }
  /** `body`: the editor's text this run sent (the answers shown are for it, not for text typed since). */
  | { status: 'done'; result: CompareResultData; body: string }
  /** `beforeSend`: the playground refused to send (a target, the tolerance, the MLflow field); editing them clears it. */
  | { status: 'error'; error: ErrorData; beforeSend?: true };

export interface ConversionNote {
  to: Format;
  warnings: ValidationResultData['warnings'];
  notes: string[];
  error: string | null;
}

export interface PlaygroundState {
  modelPath: string | null;
  /** Per model: the editor's text and its Content-Type. */
  drafts: Record<string, { body: string; contentType: string | null }>;
  /** Per model: the editor's text as last loaded, saved or sent — other text is the user's unsaved work (see unsaved.ts). */
  baselines: Record<string, string>;
  /** "Replace the text in the editor?" (or your targets, headers: what would be lost) while it is asked, else null; answered by `answerReplace`. */
  replaceAsk: ReplaceAsk | null;
  /** true: the waiting action replaces the editor's text; false: the text stays and the action does nothing. */
  answerReplace(replace: boolean): void;
  /**
   * After a replacement took away targets or headers the user had changed (they answered "Replace"): what it was and
   * what went, while `undoReplace` can still put them back — until the targets or headers are edited again, or another
   * action replaces them. Else null.
   */
  replaced: { what: string; targets: string[]; headers: string[] } | null;
  /** Puts back the targets and headers the last replacement took away (the editor's text comes back with Ctrl/⌘+Z). */
  undoReplace(): void;
  /** Hides the note about the last replacement (its undo goes with it). */
  dismissReplaced(): void;
  /** The model shown, as a saved request records it (folder, model_uuid, signature digest); null until known. */
  modelIdentity: SavedForData | null;
  /** After opening a request saved for another model: what the user must know, for that model's editor; else null. */
  savedNote: { modelPath: string; text: string } | null;
  samples: { status: 'idle' | 'loading' | 'loaded'; azureml: PayloadSample | null; mlflow: PayloadSample | null } | { status: 'error'; error: ErrorData };
  /**
   * The MLflow server the model's answers are for (its pin; from the samples, then every validation): decides the
   * format switch's MLflow forms — 1.x reads bare pandas bodies, not the 2.x envelopes. null until known.
   */
  mlflowTarget: MlflowVersionInfo | null;
  /**
   * The MLflow version the servers run, chosen by the user (the CLI's `--mlflow-version`): a teammate's server or an
   * environment that does not install the pin. null: the model's pin. Every validation, conversion, sample and send uses it.
   */
  mlflowVersion: string | null;
  validation: ValidationView;
  conversion: ConversionNote | null;
  local: { azureml: boolean; mlflow: boolean };
  urls: UrlTarget[];
  /** `azure:<endpoint>[/<deployment>]` targets of the signed-in workspace. */
  azureTargets: AzureTarget[];
  azurePicker: AzurePicker;
  headers: HeaderRow[];
  tolerance: string;
  timeoutMs: number;
  run: RunView;
  exactText: boolean;
  /** `total`: the runs matching `query`; `kept`: every run the history keeps. */
  history: { query: string; entries: CompareHistoryEntryData[]; total: number; kept: number; error: string | null };
  /** The replay's own store (a whole CSV through the targets), created with this store. */
  replay: ReplayStore;
  /** Saved requests in a folder of the user's choice. */
  collections: CollectionsStore;

  /** `identity`: the model's folder, model_uuid and signature digest (saved requests record it). */
  setModel(path: string, identity?: SavedForData | null): Promise<void>;
  /** Emulate another MLflow version (null: the model's pin); the samples and the validation follow. A bad version is refused in `versionError`. */
  setMlflowVersion(version: string | null): Promise<void>;
  /** Why the last version asked for was refused (it is not a version), else null. */
  versionError: string | null;
  setBody(body: string): void;
  fillFromExample(): Promise<void>;
  switchFormat(to: Format): Promise<void>;
  /** The header and first `rows` rows of a CSV file into the editor, in the editor's current form. null: the user kept the editor's text (nothing to say). */
  fillFromCsv(path: string, rows: number): Promise<{ ok: boolean; message: string } | null>;
  /** The signature grid: the request as a table while it is open, else null. */
  grid: Grid | null;
  /** Opens the grid on the current body (read as CSV by the engine), or the signature's columns when it cannot be read. */
  openGrid(signatureColumns: readonly string[]): Promise<void>;
  setGrid(grid: Grid): void;
  /** Writes the grid to the editor as CSV, converted back to the form the editor had; the grid stays open. */
  applyGrid(): Promise<void>;
  closeGrid(): void;
  /** The next form in the format switch's order (the shortcut's cycle). */
  switchToNextFormat(): Promise<void>;
  toggleLocal(server: 'azureml' | 'mlflow'): void;
  addUrl(): void;
  updateUrl(id: string, patch: Partial<Omit<UrlTarget, 'id'>>): void;
  removeUrl(id: string): void;
  /** Opens the "Add Azure endpoint" list (loads the workspace's endpoints), or closes it. */
  toggleAzurePicker(): Promise<void>;
  addAzureTarget(endpoint: string, deployment: string | null): void;
  removeAzureTarget(id: string): void;
  addHeader(): void;
  updateHeader(id: string, patch: Partial<Omit<HeaderRow, 'id'>>): void;
  removeHeader(id: string): void;
  setTolerance(text: string): void;
  setExactText(v: boolean): void;
  send(): Promise<void>;
  cancel(): Promise<void>;
  searchHistory(query: string): Promise<void>;
  /** Puts a past run's body, targets and tolerance back (URL targets included; headers were never kept). false: the user kept the editor's text. */
  reopen(entry: CompareHistoryEntryData): Promise<boolean>;
  /** Puts a saved request back: body, targets, headers (a secret left out of the file comes back empty, to fill in). false: the user kept the editor's text. */
  applySaved(r: SavedRequestData): Promise<boolean>;
  /** Reads a file of the collection folder and puts it back (`applySaved`); the collection's message says what happened. */
  openSaved(file: string): Promise<void>;
  /** Saves the request in the collection folder; once written, the editor's text counts as saved. */
  saveRequest(name: string, overwrite: boolean): Promise<void>;
  /** Reads a curl command: its body into the editor, its URL as a target, its headers; the message says what happened. null: the user kept the editor's text. */
  importCurl(text: string): Promise<{ ok: boolean; message: string } | null>;
  /** The request as a collection file holds it. */
  toSaved(name: string): SavedRequestData | null;
}

export type PlaygroundStore = StoreApi<PlaygroundState>;

type Api = Pick<ClientApi, 'payload' | 'compare' | 'on' | 'collections'> & Partial<Pick<ClientApi, 'azure'>>;

/** Validation waits this long after the last keystroke, so typing stays smooth on big bodies. */
export const VALIDATE_DELAY_MS = 250;

/** The targets as the compare service takes them, or why they cannot be sent. */
export function targetsOf(s: Pick<PlaygroundState, 'local' | 'urls'> & Partial<Pick<PlaygroundState, 'azureTargets'>>): { ok: true; targets: TargetSpec[] } | { ok: false; message: string } {
  const targets: TargetSpec[] = [];
  if (s.local.azureml) targets.push({ kind: 'local', server: 'azureml' });
  if (s.local.mlflow) targets.push({ kind: 'local', server: 'mlflow' });
  for (const u of s.urls) {
    if (!u.url.trim()) continue;
    const problem = urlTargetProblem(u.url);
    if (problem !== null) return { ok: false, message: `${problem} Nothing was sent.` };
    const p = parseTargetSpec(`${u.server}:${u.url.trim()}`);
    if (!p.ok) return { ok: false, message: p.message };
    targets.push(p.spec);
  }
  for (const a of s.azureTargets ?? []) targets.push(azureSpecOf(a));
  if (targets.length === 0) return { ok: false, message: 'Choose at least one target.' };
  return { ok: true, targets };
}

/** What a send and a replay share: the targets, the headers for URL targets, the tolerance, the timeout. */
export function sendParts(
  s: Pick<PlaygroundState, 'local' | 'urls' | 'azureTargets' | 'headers' | 'tolerance' | 'timeoutMs'> & Partial<Pick<PlaygroundState, 'mlflowVersion'>>,
):
  | { ok: true; request: { targets: TargetSpec[]; headers: { name: string; value: string }[]; tolerance: { abs: number; rel: number }; timeoutMs: number; mlflowVersion: string | null } }
  | { ok: false; message: string } {
  const t = targetsOf(s);
  if (!t.ok) return t;
  const tol = toleranceOf(s.tolerance);
  if (tol === null) return { ok: false, message: `Tolerance "${s.tolerance}" is not a non-negative number (e.g. 1e-6).` };
  return {
    ok: true,
    request: {
      targets: t.targets,
      headers: namedHeaders(s.headers),
      tolerance: { abs: tol, rel: tol },
      timeoutMs: s.timeoutMs,
      mlflowVersion: s.mlflowVersion ?? null,
    },
  };
}

/** The header rows a request carries: named ones, names trimmed (values as typed). */
function namedHeaders(rows: readonly HeaderRow[]): { name: string; value: string }[] {
  return rows.filter((h) => h.name.trim()).map((h) => ({ name: h.name.trim(), value: h.value }));
}

/** The local checkboxes, URL rows and Azure targets a list of targets (a history entry's, a saved request's) stands for. */
function targetFields(targets: readonly TargetSpec[], nextId: (prefix: string) => string): Pick<PlaygroundState, 'local' | 'urls' | 'azureTargets'> {
  return {
    local: { azureml: targets.some((t) => t.kind === 'local' && t.server === 'azureml'), mlflow: targets.some((t) => t.kind === 'local' && t.server === 'mlflow') },
    urls: targets.flatMap((t) => (t.kind === 'url' ? [{ id: nextId('url'), server: t.server, url: t.url }] : [])),
    azureTargets: azureTargetsIn(targets, () => nextId('az')),
  };
}

/** A tolerance as the field shows it: 1e-6 stays 1e-6 (String() would write 0.000001). */
export const toleranceText = (n: number): string => (n > 0 && n < 1e-3 ? n.toExponential() : String(n));

export function toleranceOf(text: string): number | null {
  const v = Number(text);
  return text.trim() !== '' && Number.isFinite(v) && v >= 0 ? v : null;
}

/** The targets and headers a request starts with (what a replacement of an untouched setup loses: nothing). */
const INITIAL_SETUP: Pick<PlaygroundState, 'local' | 'urls' | 'azureTargets' | 'headers'> = { local: { azureml: true, mlflow: true }, urls: [], azureTargets: [], headers: [] };

/** The setup fields of a state, as a replacement takes them away and "Undo replace" puts them back. */
const setupOf = (s: Pick<PlaygroundState, 'local' | 'urls' | 'azureTargets' | 'headers'>): Pick<PlaygroundState, 'local' | 'urls' | 'azureTargets' | 'headers'> => ({
  local: s.local,
  urls: s.urls,
  azureTargets: s.azureTargets,
  headers: s.headers,
});

/** The value the user has typed for header `name` (any case), '' when none. */
function typedValue(headers: readonly { name: string; value: string }[], name: string): string {
  const wanted = name.trim().toLowerCase();
  return headers.find((h) => h.name.trim().toLowerCase() === wanted && h.value !== '')?.value ?? '';
}

/**
 * `keeper`: where the editor's texts outlive a reload (the app passes the window's sessionStorage, session-drafts.ts);
 * by default nowhere.
 */
export function createPlaygroundStore(api: Api, keeper: DraftKeeper = sessionDrafts(undefined)): PlaygroundStore {
  const kept = keeper.read();
  let validateTimer: ReturnType<typeof setTimeout> | null = null;
  let validateSeq = 0;
  /** The opId of the validation in flight (payload.validate), null when none. */
  let validating: string | null = null;
  let idSeq = 0;
  const nextId = (p: string): string => `${p}-${++idSeq}`;
  /** Cancels the validation in flight, whose answer is no longer wanted (a finished one answers cancelled: false). */
  const dropValidation = (): void => {
    if (validating === null) return;
    void api.payload.cancel({ opId: validating }).catch(() => undefined);
    validating = null;
  };

  const store = createStore<PlaygroundState>()((set, get) => {
    const draft = (): { body: string; contentType: string | null } => currentDraft(get());
    const putDraft = (body: string, contentType: string | null): void => {
      const path = get().modelPath;
      if (!path) return;
      set((s) => ({ drafts: { ...s.drafts, [path]: { body, contentType } } }));
    };
    /** The current text counts as kept (loaded, saved or sent): replacing it loses nothing. */
    const markKept = (body = draft().body): void => {
      const path = get().modelPath;
      if (path) set((s) => ({ baselines: { ...s.baselines, [path]: body } }));
    };
    /** Text from outside (example, saved request, past run, curl, CSV): the editor holds it, kept, with no saved-for note. */
    const load = (body: string, contentType: string | null): void => {
      putDraft(body, contentType);
      markKept(body);
      set({ savedNote: null });
    };
    // The targets and headers as last loaded, saved or sent (one setup for every model, as the fields are): a target or
    // header row not among them is the user's, and a replacement that takes it away asks first (see unsaved.ts).
    let keptSetup: SetupKeys = setupKeys(INITIAL_SETUP);
    /** What "Undo replace" puts back: the setup before the last replacement that took some of it away, and its baseline. */
    let undo: { setup: ReturnType<typeof setupOf>; kept: SetupKeys } | null = null;
    /** The targets or headers change by the user's hand: an undo would now take that away too, so it is withdrawn. */
    const editSetup = (patch: (s: PlaygroundState) => Partial<PlaygroundState>): void => {
      undo = null;
      set((s) => ({ ...patch(s), replaced: null, ...clearedRefusal(s) }));
    };
    /** A refusal to send is about the targets as they were: once they change it no longer says the truth. */
    const clearedRefusal = (s: PlaygroundState): Partial<PlaygroundState> => (s.run.status === 'error' && s.run.beforeSend ? { run: { status: 'idle' } } : {});
    // The one guard of the editor's text, targets and headers: every action that replaces them goes through here.
    let answer: ((replace: boolean) => void) | null = null;
    const withdrawAsk = (): void => get().answerReplace(false);
    /**
     * Runs `apply` at once when that loses nothing, else asks first and runs it only on "Replace". `apply` replaces the
     * editor's text unless `body` is false; `setupAfter`: the targets and headers it leaves (given when it replaces them).
     * `source`: the text the replacement was made from (the grid's). Resolves whether it ran.
     */
    const replaceEditor = async (
      what: string,
      apply: () => void | Promise<void>,
      opts: { source?: string | null; body?: boolean; setupAfter?: (s: PlaygroundState) => Setup } = {},
    ): Promise<boolean> => {
      const path = get().modelPath;
      if (!path) return false;
      const losing = (): Losing => ({
        text: opts.body !== false && losesText(draft().body, get().baselines[path], opts.source),
        ...(opts.setupAfter ? lostSetup(get(), opts.setupAfter(get()), keptSetup) : { targets: [], headers: [] }),
      });
      let lost = losing();
      if (losesAnything(lost)) {
        withdrawAsk(); // one question at a time: an older one is answered "keep"
        const replace = await new Promise<boolean>((resolve) => {
          answer = resolve;
          set({ replaceAsk: { modelPath: path, what, losing: lost } });
        });
        if (!replace || get().modelPath !== path) return false;
        lost = losing();
      }
      const before = { setup: setupOf(get()), kept: keptSetup };
      await apply();
      if (opts.setupAfter) {
        // an undo of an older replacement would now take this one's targets away: only this one's is offered
        const took = lost.targets.length > 0 || lost.headers.length > 0;
        undo = took ? before : null;
        set({ replaced: took ? { what, targets: lost.targets, headers: lost.headers } : null });
      }
      return true;
    };
    /** The targets a load, a save or a successful send keeps (the headers kept stay as they were). */
    const keepTargets = (targets: readonly TargetSpec[]): void => {
      keptSetup = { targets: setupKeys(targetFields(targets, () => '')).targets, headers: keptSetup.headers };
    };
    let gridSource: string | null = null;

    const validateNow = async (): Promise<void> => {
      const { modelPath } = get();
      const { body, contentType } = draft();
      if (!modelPath) return;
      const mine = ++validateSeq;
      const server = serverOfFormat(detectFormat(body, contentType));
      const version = get().mlflowVersion;
      // An answer for another model or version than the one now chosen is dropped (setMlflowVersion moves validateSeq too).
      const current = (): boolean => mine === validateSeq && get().modelPath === modelPath && get().mlflowVersion === version;
      // The one still running is never shown now: cancelled, so a large body's validations (seconds each) do not queue
      // one per pause in typing on the app's preparation thread, each delaying the answer to the text on screen.
      dropValidation();
      const opId = nextId('validate');
      validating = opId;
      try {
        const result = await api.payload.validate({ modelPath, body, server, contentType, mlflowVersion: version, opId });
        if (current()) set({ validation: { status: 'done', result, forBody: body }, mlflowTarget: result.mlflow_version });
      } catch (err) {
        if (current()) set({ validation: { status: 'error', error: toErrorData(err) } });
      } finally {
        if (validating === opId) validating = null;
      }
    };
    /** The model's samples for the chosen version (the switch's forms follow its MLflow), then the editor validated again. */
    const loadSamples = async (path: string): Promise<void> => {
      const version = get().mlflowVersion;
      try {
        const s = await api.payload.samples({ modelPath: path, mlflowVersion: version });
        if (get().modelPath !== path || get().mlflowVersion !== version) return;
        set({ samples: { status: 'loaded', azureml: s.azureml, mlflow: s.mlflow }, mlflowTarget: s.mlflow_version ?? null });
        if (!get().drafts[path]) load(editorBody(s.azureml.body, s.azureml.contentType), s.azureml.contentType);
        scheduleValidate(0);
      } catch (err) {
        if (get().modelPath !== path || get().mlflowVersion !== version) return;
        set({ samples: { status: 'error', error: toErrorData(err) } });
        // the editor still holds a body: it is validated for the version now chosen, without samples
        if (get().drafts[path]) scheduleValidate(0);
      }
    };
    const isMine = (opId: string): boolean => {
      const r = get().run;
      return r.status === 'running' && r.opId === opId;
    };
    /** A reopened run's or saved request's MLflow version: its samples reloaded when it differs, else only a new validation. */
    const restoreVersion = (version: string | null): void => {
      // a version that is not one (a hand-edited file) is refused in versionError; the body is still validated
      if (version !== get().mlflowVersion) void get().setMlflowVersion(version).then(() => get().versionError !== null && scheduleValidate(0));
      else scheduleValidate(0);
    };
    /** The validation shown as pending, keeping the last result to show greyed until the next one comes. */
    const pendingValidation = (): ValidationView => {
      const v = get().validation;
      return { status: 'pending', previous: v.status === 'done' ? v.result : v.status === 'pending' ? v.previous : null };
    };
    const scheduleValidate = (delay = VALIDATE_DELAY_MS): void => {
      if (validateTimer) clearTimeout(validateTimer);
      set({ validation: pendingValidation() });
      validateTimer = setTimeout(() => void validateNow(), delay);
    };

    return {
      modelPath: null,
      drafts: kept.drafts,
      baselines: kept.baselines,
      replaceAsk: null,
      modelIdentity: null,
      savedNote: null,
      answerReplace(replace) {
        const a = answer;
        answer = null;
        set({ replaceAsk: null });
        a?.(replace);
      },
      replaced: null,
      undoReplace() {
        if (!undo) return;
        const { setup, kept } = undo;
        undo = null;
        // what was put back is the user's unsaved work again: the baseline goes back with it
        keptSetup = kept;
        set({ ...setup, replaced: null });
      },
      dismissReplaced() {
        undo = null;
        set({ replaced: null });
      },
      samples: { status: 'idle', azureml: null, mlflow: null },
      mlflowTarget: null,
      mlflowVersion: null,
      versionError: null,
      validation: { status: 'idle' },
      conversion: null,
      ...INITIAL_SETUP,
      azurePicker: { status: 'closed' },
      tolerance: '1e-6',
      timeoutMs: 60_000,
      run: { status: 'idle' },
      exactText: false,
      history: { query: '', entries: [], total: 0, kept: 0, error: null },
      replay: createReplayStore(api),
      collections: createCollectionsStore(api),

      async setModel(path, identity) {
        // (a new object on every render of the tab: only a different identity is a change)
        if (identity !== undefined && JSON.stringify(identity) !== JSON.stringify(get().modelIdentity)) set({ modelIdentity: identity });
        if (get().modelPath === path && get().samples.status !== 'error') return;
        // The question was about the other model's editor (whose text stays in its draft: nothing is lost by leaving).
        if (get().modelPath !== path) withdrawAsk();
        // Another model has its own pin: a version chosen for the last one does not carry over.
        const version = get().modelPath === path ? get().mlflowVersion : null;
        set({ modelPath: path, samples: { status: 'loading', azureml: null, mlflow: null }, mlflowTarget: null, mlflowVersion: version, versionError: null, run: { status: 'idle' }, conversion: null });
        await loadSamples(path);
      },
      async setMlflowVersion(version) {
        const v = version?.trim() || null;
        if (v !== null && !isMlflowVersion(v)) {
          set({ versionError: `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}" is not an MLflow version: write it as X.Y or X.Y.Z (e.g. 2.12.2), or empty the field for the model's pin.` });
          return;
        }
        if (v === get().mlflowVersion) {
          set({ versionError: null });
          return;
        }
        // A run in flight keeps its card (it was sent for the old version, and Cancel must stay); the answers shown are
        // otherwise for the old version, so they go. Validation in flight is dropped and shown as pending at once.
        validateSeq++;
        dropValidation();
        set({
          mlflowVersion: v,
          versionError: null,
          conversion: null,
          ...(get().run.status === 'running' ? {} : { run: { status: 'idle' } as RunView }),
          validation: pendingValidation(),
        });
        const path = get().modelPath;
        if (path) await loadSamples(path);
      },
      setBody(body) {
        const contentType = contentTypeForText(body, draft().contentType);
        putDraft(body, contentType);
        // the note is about the conversion's output: once the text is in another form it speaks of nothing on screen
        const c = get().conversion;
        if (c !== null && detectFormat(body, contentType) !== c.to) set({ conversion: null });
        scheduleValidate();
      },
      async fillFromExample() {
        const s = get().samples;
        if (s.status !== 'loaded' || !s.azureml) return;
        const sample = s.azureml;
        await replaceEditor(fillLabel(sample.source), () => {
          load(editorBody(sample.body, sample.contentType), sample.contentType);
          set({ conversion: null });
          scheduleValidate(0);
        });
      },
      async switchFormat(to) {
        const { modelPath } = get();
        const { body, contentType } = draft();
        if (!modelPath) return;
        try {
          const r = await api.payload.convert({ body, contentType, to, modelPath, mlflowVersion: get().mlflowVersion });
          if (!r.ok) {
            set({ conversion: { to, warnings: [], notes: [], error: `${r.error.message}${r.error.path ? ` (at ${r.error.path})` : ''}` } });
            return;
          }
          // The same request in another form: kept text stays kept, unsaved work stays unsaved.
          const kept = modelPath && !losesText(body, get().baselines[modelPath]);
          putDraft(editorBody(r.body, r.contentType), r.contentType);
          if (kept) markKept();
          set({ conversion: { to, warnings: r.warnings, notes: r.notes, error: null } });
          scheduleValidate(0);
        } catch (err) {
          set({ conversion: { to, warnings: [], notes: [], error: toErrorData(err).message } });
        }
      },
      async fillFromCsv(path, rows) {
        const { body, contentType } = draft();
        const was = detectFormat(body, contentType);
        let r: Awaited<ReturnType<typeof api.compare.csvRows>>;
        try {
          r = await api.compare.csvRows({ path, rows });
        } catch (err) {
          return { ok: false, message: toErrorData(err).message };
        }
        const done = await replaceEditor(`Fill the editor with the first ${rows} row${rows === 1 ? '' : 's'} of the CSV`, async () => {
          load(r.body, r.contentType);
          set({ conversion: null });
          if (was && was !== 'csv') await get().switchFormat(was);
          else scheduleValidate(0);
        });
        // declined: the user chose to keep their text, which is what they see — no note (not an error either)
        return done ? { ok: true, message: `Filled ${r.rows} row${r.rows === 1 ? '' : 's'} from the CSV.` } : null;
      },
      grid: null,
      async openGrid(signatureColumns) {
        const { modelPath } = get();
        const { body, contentType } = draft();
        let csv: string | null = null;
        if (modelPath && body.trim()) {
          const r = await api.payload.convert({ body, contentType, to: 'csv', modelPath, mlflowVersion: get().mlflowVersion }).catch(() => null);
          if (r?.ok) csv = r.body;
        }
        gridSource = body;
        set({ grid: csvToGrid(csv, signatureColumns) });
      },
      setGrid(grid) {
        set({ grid });
      },
      async applyGrid() {
        const g = get().grid;
        if (!g) return;
        const { body, contentType } = draft();
        const was = detectFormat(body, contentType);
        // The grid was read from `gridSource`: applying it over that text loses nothing; over text typed since, it asks.
        const applied = await replaceEditor('Apply the grid to the editor', async () => {
          // the grid's edits are the user's work, not kept yet: the baseline stays
          putDraft(gridToCsv(g), 'text/csv');
          if (was && was !== 'csv') await get().switchFormat(was);
          else scheduleValidate(0);
        }, { source: gridSource });
        if (applied) gridSource = draft().body;
      },
      closeGrid() {
        set({ grid: null });
      },
      async switchToNextFormat() {
        const { body, contentType } = draft();
        const formats = formatsOf(get());
        const at = formats.findIndex((f) => f.id === detectFormat(body, contentType));
        await get().switchFormat(formats[(at + 1) % formats.length]!.id);
      },
      toggleLocal(server) {
        editSetup((s) => ({ local: { ...s.local, [server]: !s.local[server] } }));
      },
      addUrl() {
        editSetup((s) => ({ urls: [...s.urls, { id: nextId('url'), server: 'azureml', url: '' }] }));
      },
      updateUrl(id, patch) {
        editSetup((s) => ({ urls: s.urls.map((u) => (u.id === id ? { ...u, ...patch } : u)) }));
      },
      removeUrl(id) {
        editSetup((s) => ({ urls: s.urls.filter((u) => u.id !== id) }));
      },
      async toggleAzurePicker() {
        if (get().azurePicker.status !== 'closed') return set({ azurePicker: { status: 'closed' } });
        set({ azurePicker: { status: 'loading' } });
        const picker = await loadAzureEndpoints(api);
        if (get().azurePicker.status === 'loading') set({ azurePicker: picker });
      },
      addAzureTarget(endpoint, deployment) {
        editSetup((s) => ({ azureTargets: [...s.azureTargets.filter((t) => t.endpoint !== endpoint || t.deployment !== deployment), { id: nextId('az'), endpoint, deployment }] }));
      },
      removeAzureTarget(id) {
        editSetup((s) => ({ azureTargets: s.azureTargets.filter((t) => t.id !== id) }));
      },
      addHeader() {
        editSetup((s) => ({ headers: [...s.headers, { id: nextId('h'), name: '', value: '' }] }));
      },
      updateHeader(id, patch) {
        editSetup((s) => ({ headers: s.headers.map((h) => (h.id === id ? { ...h, ...patch } : h)) }));
      },
      removeHeader(id) {
        editSetup((s) => ({ headers: s.headers.filter((h) => h.id !== id) }));
      },
      setTolerance(text) {
        set((s) => ({ tolerance: text, ...clearedRefusal(s) }));
      },
      setExactText(v) {
        set({ exactText: v });
      },
      async send() {
        const s = get();
        if (!s.modelPath || s.run.status === 'running') return;
        const parts = sendParts(s);
        // the field says one version and the last valid one would be used: the user decides first
        const problem = s.versionError !== null ? `${s.versionError} Nothing was sent.` : parts.ok ? null : parts.message;
        if (problem !== null || !parts.ok) {
          set({ run: { status: 'error', error: { code: 'E_INVALID_INPUT', message: problem ?? '', details: null }, beforeSend: true } });
          return;
        }
        const opId = `compare-${Date.now()}-${++idSeq}`;
        const { body, contentType } = draft();
        set({ run: { status: 'running', opId } });
        try {
          const result = await api.compare.run({ modelPath: s.modelPath, body, contentType, ...parts.request, opId });
          // Now in the history (its Open brings it back): the text still in the editor counts as kept — not a body above
          // the history's cap, which it does not keep (nor text typed while the run went on: the draft differs then).
          if (body.length <= HISTORY_BODY_CAP && get().modelPath === s.modelPath && draft().body === body) markKept(body);
          // ...and so are the targets it was sent to (a run the history keeps reopens with them); headers it never keeps
          if (body.length <= HISTORY_BODY_CAP) keepTargets(parts.request.targets);
          // only this send's answer: a newer send (or a cleared card) owns the card now
          if (isMine(opId)) set({ run: { status: 'done', result, body } });
        } catch (err) {
          if (isMine(opId)) set({ run: { status: 'error', error: toErrorData(err) } });
        }
        await get().searchHistory(get().history.query);
      },
      async searchHistory(query) {
        set((s) => ({ history: { ...s.history, query } }));
        try {
          const r = await api.compare.history({ query, limit: 50 });
          if (get().history.query === query) set({ history: { query, entries: r.entries, total: r.total, kept: r.kept, error: null } });
        } catch (err) {
          set((s) => ({ history: { ...s.history, error: toErrorData(err).message } }));
        }
      },
      async reopen(entry) {
        const body = entry.body;
        if (body === null || entry.modelPath !== get().modelPath) return false;
        return replaceEditor(
          `Open the run of ${new Date(entry.time).toLocaleString()} from the history`,
          () => {
            load(editorBody(body, entry.contentType), entry.contentType);
            set({
              ...targetFields(entry.targets, nextId),
              tolerance: toleranceText(entry.tolerance.abs),
              conversion: null,
            });
            keepTargets(entry.targets);
            restoreVersion(entry.mlflowVersion ?? null);
          },
          // a run keeps no headers: they stay as they are
          { setupAfter: (s) => ({ ...targetFields(entry.targets, () => ''), headers: s.headers }) },
        );
      },
      async applySaved(r) {
        // a secret the file left out (null) keeps the value the user has for that header now: the key they typed is not lost
        const headersOf = (typed: readonly HeaderRow[]): { name: string; value: string }[] => r.headers.map((h) => ({ name: h.name, value: h.value ?? typedValue(typed, h.name) }));
        return replaceEditor(
          `Open "${r.name}"`,
          () => {
            const path = get().modelPath;
            load(editorBody(r.body, r.contentType), r.contentType);
            const note = savedForNote(r.model, get().modelIdentity);
            set({
              ...targetFields(r.targets, nextId),
              headers: headersOf(get().headers).map((h) => ({ id: nextId('h'), ...h })),
              tolerance: toleranceText(r.tolerance.abs),
              conversion: null,
              savedNote: note !== null && path ? { modelPath: path, text: note } : null,
            });
            // kept: what the file holds (a secret it left out is not in it: the typed key stays the user's own)
            keptSetup = setupKeys({ ...targetFields(r.targets, () => ''), headers: r.headers.map((h) => ({ name: h.name, value: h.value ?? '' })) });
            restoreVersion(r.mlflowVersion ?? null);
          },
          { setupAfter: (s) => ({ ...targetFields(r.targets, () => ''), headers: headersOf(s.headers) }) },
        );
      },
      async openSaved(file) {
        const c = get().collections.getState();
        const r = await c.open(file);
        if (r === null) return;
        const typed = get().headers;
        const kept = r.headers.filter((h) => h.value === null && typedValue(typed, h.name) !== '').map((h) => h.name);
        const opened = await get().applySaved(r);
        c.opened(r, opened, opened ? savedForNote(r.model, get().modelIdentity) : null, opened ? kept : []);
      },
      async saveRequest(name, overwrite) {
        const request = get().toSaved(name);
        if (!request) return;
        const path = get().modelPath;
        // kept only if the editor still holds what was written (the user may type while the file is written)
        if (!(await get().collections.getState().save(request, overwrite))) return;
        if (get().modelPath === path && draft().body === request.body) markKept(request.body);
        // the targets and headers as the file holds them: a secret header's value is left out of it, so not kept
        keepTargets(request.targets);
        keptSetup = { ...keptSetup, headers: setupKeys({ headers: request.headers.map((h) => ({ name: h.name, value: h.value === null || isSecretHeader(h.name) ? '' : h.value })) }).headers };
      },
      async importCurl(text) {
        const r = importCurl(text);
        if (!r.ok) return { ok: false, message: r.message };
        const { url, body, contentType, headers, notes } = r.request;
        const server = /\/invocations\/?$/.test(new URL(url).pathname) ? 'mlflow' : 'azureml';
        // the URL joins the targets (a row of the same URL gives way); a header of the same name gives way to the curl's
        const setupAfter = (s: PlaygroundState, id: (prefix: string) => string): Pick<PlaygroundState, 'urls' | 'headers'> => ({
          urls: [...s.urls.filter((u) => u.url.trim() !== url), { id: id('url'), server, url }],
          headers: [...s.headers.filter((h) => !headers.some((n) => n.name.toLowerCase() === h.name.trim().toLowerCase())), ...headers.map((h) => ({ id: id('h'), ...h }))],
        });
        const apply = (): void => {
          if (body !== null) load(editorBody(body, contentType), contentType);
          set((s) => ({ ...setupAfter(s, nextId), conversion: null }));
          // what was imported is kept (the curl command holds it); rows typed before stay the user's
          const imported = setupKeys({ urls: [{ server, url }], headers });
          keptSetup = { targets: new Set([...keptSetup.targets, ...imported.targets]), headers: new Set([...keptSetup.headers, ...imported.headers]) };
          scheduleValidate(0);
        };
        // a curl without a body leaves the editor's text alone: only its headers can take something away
        if (!(await replaceEditor('Import from curl', apply, { body: body !== null, setupAfter: (s) => ({ ...s, ...setupAfter(s, () => '') }) }))) return null;
        const shell = headers.filter((h) => /\$\w/.test(h.value)).map((h) => h.name);
        const parts = [`Imported ${r.request.method} ${url} as ${server === 'mlflow' ? 'an MLflow' : 'an Azure ML'} target${body !== null ? ' with its body' : ''}, ${headers.length} header${headers.length === 1 ? '' : 's'}.`];
        // the playground always POSTs the editor's body: a curl that GETs is said, not followed
        if (r.request.method !== 'POST') parts.push(`The command sends ${r.request.method}; the Playground POSTs the editor's body.`);
        if (r.request.bodyFile !== null) parts.push(`Its body is read from the file ${r.request.bodyFile}: paste that file's content into the editor (the editor's text was left as it was).`);
        if (shell.length) parts.push(`${shell.join(', ')} name${shell.length === 1 ? 's' : ''} a shell variable: replace it with the value before sending.`);
        if (notes.length) parts.push(`Ignored: ${notes.join('; ')}.`);
        return { ok: true, message: parts.join(' ') };
      },
      toSaved(name) {
        const s = get();
        const parts = sendParts(s);
        if (!parts.ok || !s.modelPath) return null;
        const { body, contentType } = draft();
        return {
          name,
          body,
          contentType,
          targets: parts.request.targets,
          headers: parts.request.headers,
          tolerance: parts.request.tolerance,
          ...(s.mlflowVersion ? { mlflowVersion: s.mlflowVersion } : {}),
          ...(s.modelIdentity ? { model: s.modelIdentity } : {}),
        };
      },
      async cancel() {
        const r = get().run;
        if (r.status !== 'running') return;
        await api.compare.cancel({ opId: r.opId }).catch(() => undefined);
      },
    };
  });
  keepDrafts(store, keeper);
  return store;
}

/** How long typing pauses before the texts are written for a reload: not a write of the whole body per keystroke. */
const KEEP_DELAY_MS = 300;

/** Writes the editor's texts (and what was last loaded or sent) to `keeper` once they stop changing, and before the page unloads. */
function keepDrafts(store: PlaygroundStore, keeper: DraftKeeper): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    const { drafts, baselines } = store.getState();
    keeper.write({ drafts, baselines });
  };
  store.subscribe((s, prev) => {
    if (s.drafts === prev.drafts && s.baselines === prev.baselines) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(write, KEEP_DELAY_MS);
  });
  // A reload within the pause still finds the last keystroke.
  if (typeof window !== 'undefined') window.addEventListener('pagehide', () => timer && write());
}

/** The format switch's forms: the MLflow ones of the server the model pins (1.x: the pre-2.0 forms). */
export function formatsOf(s: Pick<PlaygroundState, 'mlflowTarget'>): readonly FormatOption[] {
  return formatsFor(s.mlflowTarget);
}

/** What a model without a draft shows: one stable object, because selectors must not allocate. */
const NO_DRAFT: { body: string; contentType: string | null } = { body: '', contentType: 'application/json' };

/** The answers shown were sent for other text than the editor holds now (edited, converted, filled or opened since). */
export function runIsStale(s: Pick<PlaygroundState, 'modelPath' | 'drafts' | 'run'>): boolean {
  return s.run.status === 'done' && currentDraft(s).body !== s.run.body;
}

/** The current model's editor text and Content-Type (NO_DRAFT when it has none). */
export function currentDraft(s: Pick<PlaygroundState, 'modelPath' | 'drafts'>): { body: string; contentType: string | null } {
  return (s.modelPath && s.drafts[s.modelPath]) || NO_DRAFT;
}

/**
 * The request in the form `server` reads, for a local server's curl line: the editor's text when it is in that
 * server's form — for MLflow, one the pinned version reads (a 2.x envelope is not a 1.x server's form, nor the
 * reverse) —, else the model's example written for that server (the engine converts on send; a curl cannot).
 */
export function requestForServer(
  s: Pick<PlaygroundState, 'modelPath' | 'drafts' | 'samples'> & Partial<Pick<PlaygroundState, 'mlflowTarget'>>,
  server: 'azureml' | 'mlflow',
): { body: string; contentType: string; from: 'editor' | 'example' } | null {
  const d = currentDraft(s);
  const f = detectFormat(d.body, d.contentType);
  const read = server === 'azureml' || f === null || formatsFor(s.mlflowTarget ?? null).some((x) => x.id === f);
  if (d.body.trim() && serverOfFormat(f) === server && read) return { body: d.body, contentType: d.contentType ?? 'application/json', from: 'editor' };
  const sample = s.samples.status === 'loaded' ? s.samples[server] : null;
  return sample ? { body: editorBody(sample.body, sample.contentType), contentType: sample.contentType, from: 'example' } : null;
}

/**
 * The fill button's words for where its body comes from: a model without an input example gets a body built from its
 * signature, and a button that said "input example" there promised what the model does not have.
 */
export function fillLabel(source: PayloadSample['source']): string {
  return source === 'signature' ? 'Fill from signature' : 'Fill from input example';
}

/** The fill button's (and the command palette's) words for the model's samples as they stand: an example until loaded. */
export function fillLabelOf(samples: PlaygroundState['samples']): string {
  return fillLabel(samples.status === 'loaded' && samples.azureml ? samples.azureml.source : 'input_example');
}
