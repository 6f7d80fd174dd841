import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorData } from '../../../../../shared/errors';
import type { ClientApi } from '../../../../../shared/ipc/create-api';
import type { ConversionResultData, PayloadSample, ValidationResultData } from '../../../../../shared/ipc/contract';
import { toErrorData } from '../../../lib/errors';
import { CONVERT_TARGETS, editorBody, mlflowVersionProblem, type ConvertTarget, type Server } from './selectors';

/**
 * The Request panel's state: which server is emulated, the request (body, Content-Type, MLflow version
 * override) and the host's answer to it. Every edit re-validates after a short pause (debounced), and an
 * answer to an older edit never overwrites the answer to a newer one.
 */

export type Samples = { mlflow: PayloadSample; azureml: PayloadSample };

export type SamplesView = { status: 'idle' } | { status: 'loading' } | { status: 'loaded'; samples: Samples } | { status: 'error'; error: ErrorData };

export type ValidationView =
  | { status: 'idle' }
  | { status: 'validating'; previous: ValidationResultData | null }
  | { status: 'done'; result: ValidationResultData }
  | { status: 'error'; error: ErrorData };

/** What the last "Convert to…" did: its notes and warnings, or why it could not convert. */
export type ConvertView =
  | { status: 'idle' }
  | { status: 'converting'; to: ConvertTarget }
  | { status: 'done'; to: ConvertTarget; from: string; notes: string[]; warnings: { code: string; message: string; path: string }[] }
  | { status: 'failed'; to: ConvertTarget; message: string; path: string | null };

export interface RequestState {
  modelPath: string | null;
  server: Server;
  body: string;
  /** The Content-Type header as typed; ignored when `noContentType`. */
  contentType: string;
  /** The request carries no Content-Type header at all. */
  noContentType: boolean;
  /** `''` = emulate the model's own pin; else X.Y or X.Y.Z. */
  mlflowVersion: string;
  /** True while the body is the untouched sample, so switching server can swap in the other sample. */
  bodyIsSample: boolean;
  samples: SamplesView;
  validation: ValidationView;
  convert: ConvertView;

  /** Show `path`'s request panel: load its samples, start from the sample for the current server. */
  setModel(path: string): Promise<void>;
  setServer(server: Server): void;
  setBody(body: string): void;
  setContentType(value: string): void;
  setNoContentType(value: boolean): void;
  setMlflowVersion(value: string): void;
  resetToSample(): void;
  convertTo(target: ConvertTarget): Promise<void>;
  /** Validate now (no pause); the debounced path ends here too. */
  validateNow(): Promise<void>;
}

export type RequestApi = Pick<ClientApi, 'payload'>;
export type RequestStore = StoreApi<RequestState>;

export interface RequestStoreOptions {
  /** Pause after the last keystroke before validating (ms). */
  debounceMs?: number;
}

export function createRequestStore(api: RequestApi, options: RequestStoreOptions = {}): RequestStore {
  const debounceMs = options.debounceMs ?? 300;
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Incremented per validation and per model: answers to superseded requests are dropped.
  let generation = 0;
  let modelGeneration = 0;

  return createStore<RequestState>()((set, get) => {
    // Shows "validating" with the last answer kept; once already validating, nothing changes (no re-render per keystroke).
    const markValidating = (): void => {
      const prev = get().validation;
      if (prev.status !== 'validating') set({ validation: { status: 'validating', previous: prev.status === 'done' ? prev.result : null } });
    };

    const schedule = (): void => {
      if (timer !== null) clearTimeout(timer);
      markValidating();
      timer = setTimeout(() => {
        timer = null;
        void get().validateNow();
      }, debounceMs);
    };

    const applySample = (server: Server): void => {
      const s = get().samples;
      if (s.status !== 'loaded') return;
      const sample = s.samples[server];
      set({ body: editorBody(sample.body, sample.contentType), contentType: sample.contentType, noContentType: false, bodyIsSample: true, convert: { status: 'idle' } });
    };

    return {
      modelPath: null,
      server: 'azureml',
      body: '',
      contentType: 'application/json',
      noContentType: false,
      mlflowVersion: '',
      bodyIsSample: true,
      samples: { status: 'idle' },
      validation: { status: 'idle' },
      convert: { status: 'idle' },

      async setModel(path) {
        if (get().modelPath === path && get().samples.status !== 'error') return;
        const mine = ++modelGeneration;
        generation++;
        set({ modelPath: path, samples: { status: 'loading' }, validation: { status: 'idle' }, convert: { status: 'idle' }, mlflowVersion: '' });
        try {
          const samples = await api.payload.samples({ modelPath: path });
          if (mine !== modelGeneration) return;
          set({ samples: { status: 'loaded', samples } });
          applySample(get().server);
        } catch (error) {
          if (mine !== modelGeneration) return;
          set({ samples: { status: 'error', error: toErrorData(error) } });
        }
        await get().validateNow();
      },

      setServer(server) {
        if (server === get().server) return;
        set({ server });
        if (get().bodyIsSample) applySample(server);
        schedule();
      },
      setBody(body) {
        set({ body, bodyIsSample: false });
        schedule();
      },
      setContentType(value) {
        set({ contentType: value, noContentType: false });
        schedule();
      },
      setNoContentType(value) {
        set({ noContentType: value });
        schedule();
      },
      setMlflowVersion(value) {
        set({ mlflowVersion: value });
        // A half-typed version ("2.") is not sent: the field shows what is wrong instead.
        if (mlflowVersionProblem(value) === null) schedule();
      },
      resetToSample() {
        applySample(get().server);
        schedule();
      },

      async convertTo(target) {
        const { modelPath, body, server, contentType, noContentType } = get();
        set({ convert: { status: 'converting', to: target } });
        let result: ConversionResultData;
        try {
          result = await api.payload.convert({ body, contentType: noContentType ? null : contentType, to: target, modelPath, fromServer: server });
        } catch (error) {
          set({ convert: { status: 'failed', to: target, message: toErrorData(error).message, path: null } });
          return;
        }
        if (!result.ok) {
          set({ convert: { status: 'failed', to: target, message: result.error.message, path: result.error.path } });
          return;
        }
        // A body converted for the other server is only useful with that server selected.
        const nextServer: Server = CONVERT_TARGETS.find((t) => t.id === target)!.server;
        set({
          body: editorBody(result.body, result.contentType),
          contentType: result.contentType,
          noContentType: false,
          server: nextServer,
          bodyIsSample: false,
          convert: { status: 'done', to: target, from: result.from, notes: result.notes, warnings: result.warnings },
        });
        schedule();
      },

      async validateNow() {
        if (timer !== null) {
          clearTimeout(timer);
          timer = null;
        }
        const { modelPath, body, server, contentType, noContentType, mlflowVersion } = get();
        if (modelPath === null) return;
        const mine = ++generation;
        markValidating();
        try {
          const result = await api.payload.validate({
            modelPath,
            body,
            server,
            contentType: noContentType ? null : contentType,
            mlflowVersion: mlflowVersion.trim() === '' || mlflowVersionProblem(mlflowVersion) !== null ? null : mlflowVersion.trim(),
          });
          if (mine !== generation) return;
          set({ validation: { status: 'done', result } });
        } catch (error) {
          if (mine !== generation) return;
          set({ validation: { status: 'error', error: toErrorData(error) } });
        }
      },
    };
  });
}
