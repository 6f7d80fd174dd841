/**
 * How MLflow's FastAPI scoring server (2.21+; mlflow/mlflow e2cb2fcf1 "Use Fastapi for mlflow inference server
 * (#14307)") reads a body: `invocations(await request.body(), …)` gets the request's *bytes*, where the Flask server
 * had decoded them as UTF-8 first (docs/fidelity.md §13, observed on the real 3.6.1.dev0 server):
 * - JSON: S1 `_decode_json_input` → `json.loads(bytes)`, so CPython's `json.detect_encoding` picks the codec — a UTF-8
 *   BOM is skipped, UTF-16/32 bodies are read — and a body the codec refuses raises UnicodeDecodeError, which no
 *   handler catches (Starlette's plain-text 500). The same decoding as azureml-inference-server's (azureml-body.ts).
 * - its JSONDecodeError message prints `Input: \n{json_input}` — the bytes, so their Python repr (`b'{'`).
 * - CSV: `data.decode("utf-8")` (strict) before pandas: bytes that are not UTF-8 are the same unhandled 500.
 */
import { Bytes } from './cells';
import { a4BodyText, type A4Decoded } from './azureml-body';
import { bodyBytesOf, hasUndecodableBytes } from '../../text/body-bytes';
import type { EmulatedVersion } from './version';

/** MLflow ≥ 2.21 serves with FastAPI instead of Flask. */
export const servesFastApi = (v: Pick<EmulatedVersion, 'major' | 'minor'>): boolean => v.major > 2 || (v.major === 2 && v.minor >= 21);

/** The text `json.loads(request_bytes)` parses, or the UnicodeDecodeError it raises (a body kept as `decodeBodyBytes` text). */
export const fastApiJsonText = (body: string): A4Decoded => a4BodyText(body);

/** `str(bytes)` of the body: what `f"…Input: \n{json_input}\n"` prints on the FastAPI server. */
export const fastApiBodyRepr = (body: string): string => new Bytes(bodyBytesOf(body)).repr();

/** Whether `data.decode("utf-8")` of the CSV branch raises: the body's bytes were not UTF-8. */
export const fastApiCsvUndecodable = (body: string): boolean => hasUndecodableBytes(body);
