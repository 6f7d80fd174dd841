/** The request forms the playground's format switch offers, and which server reads each (payloads.md §3, §4). */
export type Format = 'azureml' | 'dataframe_split' | 'dataframe_records' | 'instances' | 'inputs' | 'csv';

export const FORMATS: readonly { id: Format; label: string }[] = [
  { id: 'azureml', label: 'Azure ML input_data' },
  { id: 'dataframe_split', label: 'MLflow dataframe_split' },
  { id: 'dataframe_records', label: 'MLflow dataframe_records' },
  { id: 'instances', label: 'MLflow instances' },
  { id: 'inputs', label: 'MLflow inputs' },
  { id: 'csv', label: 'CSV (MLflow)' },
];

/** The form of a body from its first key (cheap enough to run on every keystroke); null when unknown. */
export function detectFormat(body: string, contentType: string | null): Format | null {
  if (contentType && /csv/i.test(contentType)) return 'csv';
  const m = /^\s*\{\s*"([a-z_]+)"/.exec(body);
  const key = m?.[1];
  if (key === 'input_data') return 'azureml';
  if (key === 'dataframe_split' || key === 'dataframe_records' || key === 'instances' || key === 'inputs') return key;
  return null;
}

/** Which server's rules the editor validates the body against. */
export function serverOfFormat(f: Format | null): 'azureml' | 'mlflow' {
  return f === 'azureml' ? 'azureml' : 'mlflow';
}
