import type { PayloadWarning } from '@shared/mlflow/payload';

/** A command-line argument as a shell reads it back (single-quoted when it holds anything but plain path characters). */
const shellArg = (a: string): string => (/^[\w./@:+=,-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);

/**
 * The `preflight convert` command that rewrites the body for the server it was sent to, when the payload engine's
 * warnings say the body is in the other server's form (an MLflow envelope or CSV sent to Azure; Azure's input_data or
 * an MLflow 1.x body sent to MLflow 2.x+) — the refusal's body alone ("A value is not provided for the 'input_data'
 * parameter.") does not say how to get there. Null when no warning says so, or the body came from stdin.
 */
export function convertHint(server: 'azureml' | 'mlflow', warnings: readonly PayloadWarning[], bodyPath: string, modelPath: string): string | null {
  if (bodyPath === '-') return null;
  const wrongForm =
    server === 'azureml'
      ? warnings.some((w) => w.code === 'mlflow-envelope-on-azure' || w.code === 'azure-no-csv')
      : warnings.some((w) => w.code === 'ignored-top-level-key' && (w.path === '$.input_data' || w.path === '$.columns' || w.path === '$.data'));
  if (!wrongForm) return null;
  const to = server === 'azureml' ? 'azureml' : 'dataframe_split';
  return `To rewrite the body for this server: preflight convert ${shellArg(bodyPath)} --to ${to} --model ${shellArg(modelPath)}`;
}
