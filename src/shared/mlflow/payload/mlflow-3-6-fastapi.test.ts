/**
 * Rules found by replaying the real MLflow 3.6.1.dev0 server — FastAPI/uvicorn, the behaviour every model that names
 * no MLflow version gets (docs/fidelity.md §13):
 * - the FastAPI server (2.21+, mlflow/mlflow e2cb2fcf1 #14307) hands the request's bytes to `invocations`: JSON is
 *   `json.loads(bytes)` (a UTF-8 BOM is skipped, UTF-16 read, bad bytes an unhandled 500), the JSONDecodeError
 *   message prints the bytes' repr, and CSV is `data.decode("utf-8")` (bad bytes: the same 500);
 * - ParamSpec's 2.20+ messages (mlflow/mlflow cf574a3 #14091) name the spec's repr, not "'k'" / "'ids internal values'".
 */
import { describe, expect, it } from 'vitest';
import { validateRequest, type ValidationResult } from './validate';
import { resolveMlflowVersion } from './version';
import { Bytes } from './cells';
import { cols, param } from './test-signatures';
import { decodeBodyBytes } from '../../text/body-bytes';
import type { Signature } from '../model-report';

const SIG = cols({ a: 'double', b: 'double' });
const run = (body: string, version: string, contentType = 'application/json', signature: Signature = SIG): ValidationResult =>
  validateRequest({ body, contentType, server: 'mlflow', mlflowVersion: version, signature });
const msgOf = (r: ValidationResult): string => (r.body as { message: string }).message;
const fromBytes = (bytes: number[] | Buffer): string => decodeBodyBytes(Uint8Array.from(bytes));
const SPLIT = '{"dataframe_split": {"columns": ["a", "b"], "data": [[1.5, 2.5]]}}';

describe('the FastAPI server reads the body as bytes (json.loads(bytes))', () => {
  it('a UTF-8 BOM before the JSON is skipped on 3.6.1; 2.16.2 (Flask, a decoded str) refuses it', () => {
    const body = '\ufeff' + SPLIT;
    expect(run(body, '3.6.1').ok).toBe(true);
    const flask = run(body, '2.16.2');
    expect(flask.status).toBe(400);
    expect(msgOf(flask)).toContain('Unexpected UTF-8 BOM');
  });
  it('a UTF-16 body with its BOM is read on 3.6.1', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SPLIT, 'utf16le')]);
    const r = run(fromBytes(utf16), '3.6.1');
    expect(r.ok).toBe(true);
    expect(r.model_receives).not.toBeNull();
  });
  it('bytes that are not UTF-8 in a JSON body: Starlette\'s plain 500 on 3.6.1, Flask\'s HTML 500 on 2.16.2', () => {
    const bad = fromBytes([...Buffer.from('{"dataframe_split": {"col'), 0xc0, 0xaf, ...Buffer.from('umns": ["a"], "data": [[1]]}}')]);
    const r = run(bad, '3.6.1');
    expect([r.status, r.body]).toEqual([500, 'Internal Server Error']);
    expect(run(bad, '2.16.2').body).toContain('<title>500 Internal Server Error</title>');
  });
  it('an encoded surrogate passes (surrogatepass) and reaches the message as the lone surrogate (Python repr: \\ud800)', () => {
    const body = fromBytes([...Buffer.from('{"dataframe_split": {"columns": ["a", "b"], "da'), 0xed, 0xa0, 0x80, ...Buffer.from('ta": [[1, 2]]}}')]);
    const r = run(body, '3.6.1');
    expect(r.status).toBe(400);
    expect(msgOf(r)).toContain("'da\\ud800ta'");
  });
  it('the JSONDecodeError message prints the bytes\' repr on 3.6.1 and the text on 2.16.2', () => {
    expect(msgOf(run('{', '3.6.1'))).toBe(
      "Invalid input. Ensure that input is a valid JSON formatted string. Error: 'JSONDecodeError('Expecting property name enclosed in double quotes: line 1 column 2 (char 1)')'\nInput: \nb'{'\n",
    );
    expect(msgOf(run("{'a': 1}", '3.6.1'))).toContain("Input: \nb\"{'a': 1}\"\n");
    expect(msgOf(run('', '3.6.1'))).toContain("Input: \nb''\n");
    expect(msgOf(run('{"a": "é"', '3.6.1'))).toContain("Input: \nb'{\"a\": \"\\xc3\\xa9\"'\n");
    expect(msgOf(run('{', '2.16.2'))).toMatch(/Input: \n\{\n$/);
  });
  it('a CSV body that is not UTF-8: the unhandled 500 on 3.6.1; a UTF-16 CSV too', () => {
    const bad = fromBytes([...Buffer.from('a,b\n1,2\n'), 0xe9, 0x0a]);
    expect([run(bad, '3.6.1', 'text/csv').status, run(bad, '3.6.1', 'text/csv').body]).toEqual([500, 'Internal Server Error']);
    const utf16 = fromBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]));
    expect(run(utf16, '3.6.1', 'text/csv').status).toBe(500);
    expect(run('a,b\n1,2\n', '3.6.1', 'text/csv').ok).toBe(true);
  });
});

describe('ParamSpec messages from 2.20 on name the spec (mlflow/mlflow #14091)', () => {
  const sig = cols({ a: 'double' }, [param('k', 'long', 1), param('ids', 'long', [1, 2], [-1])]);
  const body = (params: string): string => `{"params": ${params}, "dataframe_split": {"columns": ["a"], "data": [[1.5]]}}`;
  it.each(['2.20.0', '3.6.1'])('%s', (v) => {
    expect(msgOf(run(body('{"k": 1.5}'), v, 'application/json', sig))).toContain(
      "('k', \"Failed to validate type and shape for 'k': long (default: 1), error: Can not safely convert `<class 'float'>` to `DataType.long` for value `1.5`\")",
    );
    expect(msgOf(run(body('{"ids": [1, "a"]}'), v, 'application/json', sig))).toContain(
      "('ids', \"Failed to validate type and shape for 'ids': long (default: [1, 2]) (shape: (-1,)), error: Can not safely convert `<class 'str'>` to `DataType.long` for value `a`\")",
    );
    expect(msgOf(run(body('{"ids": 1}'), v, 'application/json', sig))).toContain(
      "Value must be a 1D array with shape (-1,) for param 'ids': long (default: [1, 2]) (shape: (-1,)), received int with ndim 0",
    );
    expect(msgOf(run(body('{"ids": [[1, 2]]}'), v, 'application/json', sig))).toContain('received list with ndim 2');
  });
});

describe("Python's bytes repr", () => {
  it('uses double quotes when the bytes hold a single quote and no double quote', () => {
    const repr = (s: string): string => new Bytes(Buffer.from(s, 'latin1')).repr();
    expect(repr("{'a': 1}")).toBe("b\"{'a': 1}\"");
    expect(repr('it\'s "x"')).toBe("b'it\\'s \"x\"'");
    expect(repr('a\\b\n\x00\xff')).toBe("b'a\\\\b\\n\\x00\\xff'");
  });
});

describe('the emulated-version note', () => {
  it('says 3.6 was observed on the real FastAPI server, and other versions ≥ 2.21 were not run', () => {
    expect(resolveMlflowVersion(null, null, null).note).toContain('observed on the real 3.6.1.dev0 server (FastAPI)');
    expect(resolveMlflowVersion(null, null, '3.6.1').note).toContain('observed on the real 3.6.1.dev0 server (FastAPI)');
    expect(resolveMlflowVersion(null, null, '2.22.0').note).toContain('2.22 itself was not run');
  });
});
