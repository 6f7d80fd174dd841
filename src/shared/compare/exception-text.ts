/**
 * The sentence a failed request is about, out of MLflow's schema-enforcement error. MLflow wraps the real reason
 * (`Model is missing inputs ['s6']`, `Incompatible input types for column age …`) as
 * `Failed to enforce schema of data '<the DataFrame's repr>' with schema '<every column>'. Error: <reason>`: the repr
 * spans several lines and the schema can be thousands of characters, so the first line of that message — what a
 * one-line summary shows — holds only the head of the DataFrame, and the reason sits at the very end.
 */

const ENFORCE = "Failed to enforce schema of data '";
const WITH_SCHEMA = "' with schema '";
const ERROR = "'. Error: ";

/**
 * `message` with MLflow's echo of the data and the schema left out:
 * `…Failed to enforce schema of data '…' with schema '…'. Error: <reason>` → `…Failed to enforce the signature: <reason>`
 * (text before the wrapper, e.g. the exception's name, is kept). Unchanged when the message is not that wrapper.
 * Linear: plain index searches, no backtracking pattern over a server's (possibly huge) text.
 */
export function withoutSchemaEcho(message: string): string {
  const at = message.indexOf(ENFORCE);
  if (at < 0) return message;
  const schema = message.lastIndexOf(WITH_SCHEMA);
  if (schema < at) return message;
  const error = message.indexOf(ERROR, schema + WITH_SCHEMA.length);
  if (error < 0) return message;
  return `${message.slice(0, at)}Failed to enforce the signature: ${message.slice(error + ERROR.length)}`;
}

/** Whether MLflow's schema-enforcement wrapper starts on this line (its data echo runs over the next lines). */
export function startsSchemaEnforcement(line: string): boolean {
  return line.includes(ENFORCE);
}

/**
 * The reason of a schema-enforcement error that starts on `lines[at]` and runs over the following lines (the
 * DataFrame's repr), as one line: `mlflow.exceptions.MlflowException: Failed to enforce the signature: Model is missing
 * inputs ['s6']`. Null when `lines[at]` starts no such error (the caller keeps its own line).
 */
export function schemaEnforcementCause(lines: readonly string[], at: number): string | null {
  const line = lines[at];
  if (line === undefined || !startsSchemaEnforcement(line)) return null;
  const text = lines.slice(at).join('\n');
  const out = withoutSchemaEcho(text);
  if (out === text) return null;
  const prefix = out.indexOf('Failed to enforce the signature: ');
  // the reason is one line; what the log says after it is not part of it
  const end = out.indexOf('\n', prefix);
  return end < 0 ? out : out.slice(0, end);
}
