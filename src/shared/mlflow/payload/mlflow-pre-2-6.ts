/**
 * Rules of the MLflow servers before 2.6 and before 2.4, found by replaying the real 2.3.1 server (docs/fidelity.md
 * §10) and placed at the release where MLflow's history shows the change (mirror tags v2.3.1 … v2.7.1).
 *
 * Kept apart from enforce.ts / mlflow-server.ts so that the older servers' rules read as one list; both import this
 * file (it imports nothing of theirs but types, so there is no import cycle).
 */
import { isPyDict, type PyDict } from './py-json';
import type { Era } from './enforce';

const before = (e: Era, major: number, minor: number): boolean => e.major < major || (e.major === major && e.minor < minor);

/**
 * S1 `infer_and_parse_json_input` (2.0 … 2.5.x; identical text in tags v2.3.1, v2.4.2, v2.5.0) works on the whole
 * decoded body: the "Received dictionary with input fields" text lists **every** key of the body, and
 * `parse_tf_serving_input(decoded_input)` gets the whole dict too, so an `instances` / `inputs` body with any other
 * key (`params` included: inference params did not exist yet) is refused. mlflow/mlflow 916764d "Inference params
 * support (#9068)" (first in v2.6.0) split the body into the format key and `params` (`_split_data_and_params`).
 */
export const wholeBodyParsing = (e: Era): boolean => before(e, 2, 6);

/**
 * MlflowFailedTypeConversion (S2) printed `str(ex)` until mlflow/mlflow 7baba5d "Add tests for Proto_json_utils and
 * fix bug (#8538)" made it `repr(ex)` (absent in v2.3.1, first in v2.4.0): "Error: 'could not convert string to
 * float: 'abc''" before, "Error: 'ValueError("could not convert …")'" after.
 */
export const castErrorUsesRepr = (e: Era): boolean => !before(e, 2, 4);

/** The keys the "Received dictionary with input fields: […]" text lists: every key before 2.6, the format keys after. */
export const listedInputFields = (e: Era, body: PyDict, formats: string[]): string[] => (wholeBodyParsing(e) ? [...body.keys()] : formats);

/**
 * Before 2.6, S2 `parse_tf_serving_input(inp_dict)` with the whole body: `"signature_name" in inp_dict` is refused
 * first, then any key besides the one format key. MlflowException without an error code: 500 INTERNAL_ERROR.
 * Returns the message, or null when the body passes.
 */
export function tfServingWholeBodyError(e: Era, body: PyDict): string | null {
  if (!wholeBodyParsing(e) || !isPyDict(body)) return null;
  if (body.has('signature_name')) return 'Failed to parse data as TF serving input. "signature_name" is currently not supported.';
  if (body.size !== 1) return 'Failed to parse data as TF serving input. One of "instances" and "inputs" must be specified (not both or any other keys).';
  return null;
}
