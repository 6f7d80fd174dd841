import type { TargetResultData } from '@shared/ipc/compare-contract';
import { editorBody } from '../../../lib/editor-body';
import { ALL_FORMATS } from './formats';

type Response = Pick<NonNullable<TargetResultData['response']>, 'body_text' | 'json' | 'headers'>;

/**
 * A target's answer as its card shows it: the exact text, or indented by the same path the editor uses — whitespace
 * only, so Python's lexemes (NaN, -0.0, 1.0, integers beyond 2^53) stay as the server wrote them. Re-stringifying
 * the parsed value would turn NaN into null, -0.0 into 0 and round big integers.
 */
export function responseBodyText(r: Response, exactText: boolean): string {
  if (exactText || !r.json) return r.body_text;
  return editorBody(r.body_text, r.headers['content-type'] ?? 'application/json');
}

/** The engine's forms the format switch does not offer (ALL_FORMATS names the others). */
const OTHER_FORM_LABELS: Record<string, string> = {
  azureml_split: 'Azure ML input_data (split)',
  azureml_tensor: 'Azure ML input_data (tensor)',
  azureml_named: 'Azure ML input_data (named tensors)',
  azureml_records: 'Azure ML input_data (records)',
  // The engine's csv is any CSV body, not only the switch's MLflow one.
  csv: 'CSV',
  llm: 'an LLM body',
};

/** A request form in the format switch's words (the engine's ids, e.g. `azureml_split`, mean nothing to a user). */
export function formLabel(form: string | null): string {
  if (form === null) return 'an unrecognised form';
  return OTHER_FORM_LABELS[form] ?? ALL_FORMATS.find((f) => f.id === form)?.label ?? form;
}
