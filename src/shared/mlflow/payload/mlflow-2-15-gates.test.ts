/**
 * Rules whose version was found by replaying the real MLflow 2.16.2 server (docs/fidelity.md §7):
 * - S2 `_cast_schema_type` from 2.15.0 (mlflow/mlflow 9645f37, #12710): an un-named schema takes a single value, and
 *   a scalar that `convert_data_type` refuses is "Failed to convert data `x` to type `<repr(schema.inputs[0])>` …".
 * - ParamSpec's own 2.x messages ("Incompatible types for param …", "Value should be a scalar …", "… with ndim N")
 *   hold through 2.17.2 (tag source) — 2.16.2 answers them, not the later "Failed to validate type and shape" wording.
 */
import { describe, expect, it } from 'vitest';
import { validateRequest, type ValidationResult } from './validate';
import { resolveMlflowVersion } from './version';
import { cols, param, tensor, tensors } from './test-signatures';
import type { Signature } from '../model-report';

const run = (body: string, signature: Signature, version: string): ValidationResult =>
  validateRequest({ body, contentType: 'application/json', server: 'mlflow', mlflowVersion: version, signature });
const msgOf = (r: ValidationResult): string => (r.body as { message: string }).message;

const UNNAMED = tensors(tensor('float64', [-1, 4]));
const NAMED = cols({ n_long: 'long', city: 'string' });

describe('S2 _cast_schema_type: a single value for an un-named tensor schema', () => {
  it.each(['2.12.2', '2.13.0', '2.14.3'])('%s refuses {"inputs": 1} before the model with the 2.12 text', (v) => {
    const r = run('{"inputs": 1}', UNNAMED, v);
    expect(r.status).toBe(400);
    expect(msgOf(r)).toBe(
      "Invalid input. Failed to parse input data. This model contains an un-named tensor-based model signature which expects a single n-dimensional array as input, however, an input of type <class 'int'> was found.",
    );
  });
  it.each(['2.15.0', '2.16.2', '2.17.2'])('%s lets 1 through to the schema check (shape () against (-1, 4)), and names the spec for "x"', (v) => {
    const one = run('{"instances": 1}', UNNAMED, v);
    expect(one.status).toBe(400);
    expect(msgOf(one)).toContain('Shape of input () does not match expected shape (-1, 4).');
    const x = run('{"inputs": "x"}', UNNAMED, v);
    expect(msgOf(x)).toBe("Invalid input. Failed to convert data `x` to type `Tensor('float64', (-1, 4))` defined in the model signature.");
    // a dict or null is still not a single value
    expect(msgOf(run('{"inputs": {"x": [1]}}', UNNAMED, v))).toBe(
      "Invalid input. Failed to parse input data. This model contains an un-named  model signature which expects a single n-dimensional array or a single value as input, however, an input of type <class 'dict'> was found.",
    );
  });
});

describe('S2 _cast_schema_type: a scalar the named schema\'s first input refuses', () => {
  it('2.12.2 and 2.14.3: the "tensor-based model signature with input names" text', () => {
    for (const v of ['2.12.2', '2.14.3'])
      expect(msgOf(run('{"inputs": "x"}', NAMED, v))).toBe(
        'Invalid input. Failed to parse input data. This model contains a tensor-based model signature with input names, which suggests a dictionary / a list of dictionaries input mapping input name to tensor or a pure list, but an input of `x` was found.',
      );
  });
  it('2.15.0 and 2.16.2: "Failed to convert data `x` to type `\'n_long\': long (required)`"', () => {
    for (const v of ['2.15.0', '2.16.2']) {
      expect(msgOf(run('{"instances": "x"}', NAMED, v))).toBe("Invalid input. Failed to convert data `x` to type `'n_long': long (required)` defined in the model signature.");
      expect(msgOf(run('{"inputs": null}', NAMED, v))).toBe("Invalid input. Failed to convert data `None` to type `'n_long': long (required)` defined in the model signature.");
    }
  });
});

describe('ParamSpec messages by version', () => {
  const sig = cols({ a: 'double' }, [param('k', 'long', 1), param('ids', 'long', [1, 2], [-1])]);
  const body = (params: string) => `{"params": ${params}, "dataframe_split": {"columns": ["a"], "data": [[1.5]]}}`;
  it.each(['2.12.2', '2.16.2', '2.17.2'])('%s: ParamSpec\'s own words', (v) => {
    expect(msgOf(run(body('{"k": 1.5}'), sig, v))).toContain(
      "('k', \"Incompatible types for param 'k': long (default: 1) with shape None. Can not safely convert float to DataType.long.\")",
    );
    expect(msgOf(run(body('{"k": [1]}'), sig, v))).toContain("Value should be a scalar for param 'k': long (default: 1) with shape None, got [1]");
    expect(msgOf(run(body('{"ids": [[1, 2]]}'), sig, v))).toContain(
      "Value must be a 1D array with shape (-1,) for param 'ids': long (default: [1, 2]) (shape: (-1,)), received list with ndim 2",
    );
  });
  it.each(['2.20.0', '3.6.1'])('%s: the "Failed to validate type and shape" wording (with the spec\'s repr, as 3.6.1.dev0 answers)', (v) => {
    expect(msgOf(run(body('{"k": 1.5}'), sig, v))).toContain(
      "Failed to validate type and shape for 'k': long (default: 1), error: Can not safely convert `<class 'float'>` to `DataType.long` for value `1.5`",
    );
  });
});

describe('the emulated-version note', () => {
  it('says 2.16.2 was observed on the real server, and that 2.14 was not run', () => {
    expect(resolveMlflowVersion(null, null, '2.16.2').note).toContain('behaviour observed on the real 2.16.2 server (Flask)');
    expect(resolveMlflowVersion(null, null, '2.12.2').note).toContain('behaviour observed on the real 2.12.2 server (Flask)');
    expect(resolveMlflowVersion(null, null, '2.14.1').note).toContain('(2.14 itself was not run)');
  });
});
