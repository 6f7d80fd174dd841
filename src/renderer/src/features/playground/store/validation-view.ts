import type { ModelReceivesData, ValidationResultData } from '@shared/ipc/contract';
import { refusalBodyText } from '@shared/mlflow/output/responses';

/** Pure derivations for the playground's validation panel; no React, no store access (unit-tested). */

export type Tone = 'ok' | 'error' | 'warning';

export interface Verdict {
  tone: Tone;
  /** One line: `200 — the model is called`, `500 — rejected`, … */
  headline: string;
  /** What the status means for this server. */
  detail: string;
}

/** The headline of an answer, worded for the server that gives it. */
export function verdictOf(r: ValidationResultData): Verdict {
  if (r.ok) {
    return {
      tone: r.warnings.length > 0 ? 'warning' : 'ok',
      headline: `${r.status} — the model is called`,
      detail:
        r.warnings.length > 0
          ? `Accepted, but the server changes the data without saying so: ${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'} below.`
          : 'Accepted as sent.',
    };
  }
  if (r.status === 0) {
    return r.server === 'azureml'
      ? { tone: 'error', headline: 'No answer — the deployment does not start', detail: 'Azure’s scoring script fails before it takes a request (it cannot load this signature or build its request parser); every request fails. Why: the server log below.' }
      : { tone: 'error', headline: 'No answer — the server does not start', detail: 'mlflow models serve cannot load this model with that MLflow version; every request fails. Why: the server log below.' };
  }
  return {
    tone: 'error',
    headline: `${r.status} — rejected`,
    detail:
      r.server === 'azureml' && r.status === 500
        ? 'Azure answers every scoring failure with the generic body below; the real error is only in its deployment log (below it).'
        : 'The server answers with the body below.',
  };
}

/**
 * A refusal's body as the exact bytes the server writes (the local server sends the same: `refusalBodyText`) — short
 * one-line answers, shown as they are so the sentence above them is true. null when there is none: accepted, or no
 * answer at all (the deployment does not start).
 */
export function refusedBodyText(r: ValidationResultData): string | null {
  if (r.ok || r.status === 0 || r.body === null || r.body === undefined) return null;
  return refusalBodyText(r.body);
}


/** "Emulating MLflow 2.16.2 (pinned in requirements)" — short form for the version field. */
export function versionLabel(v: ValidationResultData['mlflow_version']): string {
  const why = { override: 'your override', requirements: "the model's requirements pin", mlmodel: "MLmodel's mlflow_version", default: 'no pin: newest known' }[v.source];
  return `MLflow ${v.version} · ${v.behaviour} behaviour · from ${why}`;
}

/** A cell of the preview as pandas prints it: None for null, floats keep `.0` so a float64 column does not look like integers. */
export function cellText(value: unknown, dtype?: string): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number' && Number.isInteger(value) && dtype?.startsWith('float')) return `${value}.0`;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const s = JSON.stringify(value);
  return s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

export type Preview =
  | { kind: 'frame'; columns: { name: string; dtype: string }[]; rows: string[][]; totalRows: number }
  | { kind: 'ndarray'; dtype: string; shape: string; values: string }
  | { kind: 'dict'; items: { name: string; preview: Preview }[] }
  | { kind: 'value'; pytype: string; kind2: string; value: string };

/** "Model receives" in table form: the first `maxRows` rows of a DataFrame, an ndarray's shape and dtype, a dict item by item. */
export function previewOf(m: ModelReceivesData, maxRows = 20): Preview {
  switch (m.kind) {
    case 'DataFrame':
      return {
        kind: 'frame',
        columns: m.columns.map((c) => ({ name: c, dtype: m.dtypes[c] ?? '?' })),
        rows: m.values.slice(0, maxRows).map((row) => row.map((cell, k) => cellText(cell, m.dtypes[m.columns[k]!]))),
        totalRows: m.nrows,
      };
    case 'ndarray': {
      const values = JSON.stringify(m.values) ?? '';
      return { kind: 'ndarray', dtype: m.dtype, shape: `(${m.shape.join(', ')}${m.shape.length === 1 ? ',' : ''})`, values: values.length > 2000 ? `${values.slice(0, 1999)}…` : values };
    }
    case 'dict':
      return { kind: 'dict', items: Object.entries(m.items).map(([name, v]) => ({ name, preview: previewOf(v, maxRows) })) };
    default: {
      const value = JSON.stringify(m.value) ?? 'None';
      return { kind: 'value', pytype: m.pytype, kind2: m.kind, value: value.length > 2000 ? `${value.slice(0, 1999)}…` : value };
    }
  }
}

