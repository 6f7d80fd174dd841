/**
 * Rules the fresh Azure probe found (docs/fidelity.md "The fresh Azure probe"): each expectation is what Azure's
 * real scoring script (A1) behind azureml-inference-server's real parser (A4) answered, recorded by
 * test/fidelity/azure-a1/probe_fresh.py (test/fixtures/fidelity/azure-fresh).
 */
import { describe, expect, it } from 'vitest';
import type { Signature } from '../model-report';
import { bodyBytesOf, decodeBodyBytes } from '../../text/body-bytes';
import { a4BodyText, decodeA4Bytes } from './azureml-body';
import { parsePyJson } from './py-json';
import { a4QueryBody } from './azureml-get';
import { validateRequest, type ValidateRequestInput, type ValidationResult } from './validate';
import { cols } from './test-signatures';

const GENERIC = { message: 'An unexpected error occurred in scoring script. Check the logs for more info.' };
const INTERNAL = { message: 'An unexpected internal error occurred. Check the logs for more info.' };
const az = (body: string, signature: Signature | null, over: Partial<ValidateRequestInput> = {}): ValidationResult =>
  validateRequest({ body, contentType: 'application/json', server: 'azureml', mlflowVersion: '2.12.2', signature, flavors: ['python_function'], ...over });
const reg = cols({ age: 'double', bmi: 'double', bp: 'double' });
const GOOD = '{"input_data": {"columns": ["age", "bmi", "bp"], "index": [0], "data": [[0.03, 0.06, 0.02]]}}';
const bytes = (b: Buffer): string => decodeBodyBytes(b);

describe('A4: json.loads of the body bytes', () => {
  it('a body of spaces is not "empty": only zero bytes are', () => {
    expect(az('   ', reg)).toMatchObject({ status: 400, body: { message: 'POST body could not be decoded as JSON: Expecting value: line 1 column 4 (char 3)' } });
    expect(az('\n', reg).body).toEqual({ message: 'POST body could not be decoded as JSON: Expecting value: line 2 column 1 (char 1)' });
    expect(az('', reg).body).toEqual({ message: 'POST body is empty. Expecting a JSON dictionary.' });
    expect(az(bytes(Buffer.from([0xef, 0xbb, 0xbf])), reg).body).toEqual({ message: 'POST body could not be decoded as JSON: Expecting value: line 1 column 1 (char 0)' });
  });
  it('a UTF-8 BOM, UTF-16 and UTF-32 bodies are read (json.detect_encoding)', () => {
    for (const b of [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(GOOD)]), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, 'utf16le')]), Buffer.from(GOOD, 'utf16le'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(GOOD, 'utf16le').swap16()])]) {
      const r = az(bytes(b), reg);
      expect(r.ok, String(r.server_log)).toBe(true);
    }
    const utf32 = Buffer.alloc(4 + 4 * GOOD.length);
    utf32.writeUInt32LE(0xfeff, 0);
    for (let i = 0; i < GOOD.length; i++) utf32.writeUInt32LE(GOOD.charCodeAt(i), 4 + 4 * i);
    expect(az(bytes(utf32), reg).ok).toBe(true);
  });
  it('bytes the codec cannot decode: UnicodeDecodeError escapes the parser, the route answers the internal 500', () => {
    const latin1 = Buffer.from('{"input_data": {"columns": ["age"], "data": [[1.0]]}, "n": "é"}', 'latin1');
    const r = az(bytes(latin1), reg);
    expect(r).toMatchObject({ status: 500, body: INTERNAL, server_log: "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xe9 in position 60: invalid continuation byte" });
    expect(az(bytes(Buffer.concat([Buffer.from('{"a": 1}'), Buffer.from([0xe2, 0x9c])])), reg).server_log).toBe("UnicodeDecodeError: 'utf-8' codec can't decode bytes in position 8-9: unexpected end of data");
    expect(az(bytes(Buffer.from([0xff, 0x7b, 0x7d])), reg).server_log).toBe("UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
    // after a BOM, positions count from the text that follows it (utf-8-sig decodes input[3:])
    expect(az(bytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), latin1])), reg).server_log).toContain('byte 0xe9 in position 60:');
    expect(az(bytes(Buffer.concat([Buffer.from('{}', 'utf16le'), Buffer.from('x')])), reg).server_log).toBe("UnicodeDecodeError: 'utf-16-le' codec can't decode byte 0x78 in position 4: truncated data");
  });
  it('what json.loads raises besides JSONDecodeError is the internal 500 too (not the scoring script’s)', () => {
    const deep = `{"input_data": ${'['.repeat(3000)}${']'.repeat(3000)}}`;
    expect(az(deep, reg)).toMatchObject({ status: 500, body: INTERNAL });
    expect(az(deep, reg).server_log).toMatch(/^RecursionError: maximum recursion depth exceeded/);
    const digits = az(`{"input_data": [${'7'.repeat(5000)}]}`, reg);
    expect(digits).toMatchObject({ status: 500, body: INTERNAL, server_log: 'ValueError: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; use sys.set_int_max_str_digits() to increase the limit' });
  });
  it('an int literal past 1.8e308 beyond the first 4 KiB is still an int, not JSON.parse’s Infinity', () => {
    const big = '9'.repeat(400);
    const v = parsePyJson(`[${'0.5, '.repeat(1000)}${big}]`) as unknown[];
    expect(v[1000]).toBe(BigInt(big));
    expect(() => parsePyJson(`[${'0.5, '.repeat(1000)}${'7'.repeat(5000)}]`)).toThrow('Exceeds the limit (4300 digits)');
  });
});

describe('A3 (InferenceSchema) deserialization, in its own words and order', () => {
  const tensor: Signature = { inputs: { kind: 'tensors', tensors: [{ name: null, dtype: 'float64', shape: [-1, 3] }] }, outputs: null, params: null, raw: { inputs: null, outputs: null, params: null } } as never;
  const named: Signature = { inputs: { kind: 'tensors', tensors: [{ name: 'x', dtype: 'float64', shape: [-1] }, { name: 'y', dtype: 'int64', shape: [-1] }] }, outputs: null, params: null, raw: { inputs: null, outputs: null, params: null } } as never;
  it('an ndarray sample refuses anything but a list: "Invalid input format: expected an array of items."', () => {
    for (const body of ['{"input_data": {"x": [1.0]}}', '{"input_data": 1.5}', '{"input_data": "hello"}'])
      expect(az(body, tensor)).toMatchObject({ status: 500, body: GENERIC, server_log: 'Encountered Exception while deserializing input_data: ValueError: Invalid input format: expected an array of items.' });
  });
  it('a named-tensor sample: not a dict is a ValueError, a non-list value of a sample key too', () => {
    expect(az('{"input_data": [[1.0]]}', named).server_log).toContain("ValueError: Invalid input data type to parse. Expected: <class 'dict'> but got <class 'list'>");
    expect(az('{"input_data": {"x": 1.0, "y": 1}}', named).server_log).toContain('ValueError: Invalid input format: expected an array of items.');
    // the sample's keys are converted in the sample's order, before run() looks at the others
    expect(az('{"input_data": {"z": [null, [1.0]], "y": [1, [1.0], null]}}', named).server_log).toContain('The detected shape was (3,) + inhomogeneous part.');
  });
  it('a named-tensor dict whose first key is not the sample’s goes to run()’s parsing: a split dict is a DataFrame', () => {
    // the DataFrame's columns are then MLflow's named tensors (_enforce_tensor_schema)
    const r = az('{"input_data": {"columns": ["x", "y"], "index": [0], "data": [[1.0, 1]]}}', named);
    expect(r.ok, String(r.server_log)).toBe(true);
    expect(r.model_receives).toMatchObject({ kind: 'dict', items: { x: { kind: 'ndarray', dtype: 'float64', shape: [1] }, y: { kind: 'ndarray', dtype: 'int64', shape: [1] } } });
    // without index: named tensors, whose values np.asarray made arrays (2.12 prints them)
    expect(az('{"input_data": {"columns": ["x", "y"], "data": [[1.0, 1]]}}', named).server_log).toContain("'{'columns': array(['x', 'y'], dtype='<U1'), 'data': array([[1., 1.]])}'");
  });
  it('params on a signature with params: any truthy non-dict is refused before run(); falsy values are not looked at', () => {
    const withParams: Signature = { ...reg, params: { params: [{ name: 'k', type: 'long', default: 1, shape: null }] } } as never;
    for (const [p, t] of [['[1]', 'list'], ['"k=2"', 'str'], ['5', 'int'], ['true', 'bool']] as const)
      expect(az(GOOD.replace(/}$/, `, "params": ${p}}`), withParams).server_log).toBe(`Encountered Exception while deserializing input_data: ValueError: Invalid input data type to parse. Expected: <class 'dict'> but got <class '${t}'>`);
    // input_data's errors come first (the outer decorator)
    expect(az('{"input_data": 5, "params": [1]}', withParams).server_log).toContain('into Pandas Dataframe');
    for (const p of ['0', 'false', '""', '[]']) expect(az(GOOD.replace(/}$/, `, "params": ${p}}`), withParams).server_log ?? '').not.toContain('Invalid input data type');
  });
});

describe('pandas read_json(orient="split", dtype=False) behind both A1 and A3', () => {
  it('a split dict without "data" is DataFrame(columns=…): no rows', () => {
    expect(az('{"input_data": {}}', reg).server_log).toContain("Failed to enforce schema of data 'Empty DataFrame\nColumns: []\nIndex: []'");
    expect(az('{"input_data": {"columns": ["age", "bmi", "bp"]}}', reg).ok).toBe(true);
    // with an index: one row of missing values per label (NaN, which no int64 column takes)
    expect(az('{"input_data": {"index": [0]}}', reg).server_log).toContain("'Empty DataFrame\nColumns: []\nIndex: [0]'");
    const ints = { inputExample: { form: 'dataframe-split', text: '{"columns": ["n"], "data": [[1]]}', savedType: 'dataframe' } };
    expect(az('{"input_data": {"columns": ["n"], "index": [0]}}', cols({ n: 'long' }), ints).server_log).toContain('IntCastingNaNError: Cannot convert non-finite values (NA or inf) to integer');
  });
  it('run()’s split branch turns nulls into NaN as read_json does: an all-null column is float64', () => {
    const r = az('{"input_data": {"columns": ["a", "b"], "index": [0], "data": [[null, "x"]]}}', null);
    expect(r.model_receives).toMatchObject({ kind: 'DataFrame', dtypes: { a: 'float64', b: 'object' } });
    // and refuses keys besides columns/index/data
    expect(az('{"input_data": {"columns": ["a"], "index": [0], "data": [[1]], "dtype": "x"}}', null).server_log).toContain('ValueError: JSON data had unexpected key(s): dtype');
  });
});

describe('MLflow 2.12 enforcement reached through the transformers branch', () => {
  const t = { flavors: ['python_function', 'transformers'] };
  const ab = cols({ a: 'double', b: 'string' });
  it('pd.to_numeric (an object column meeting a double spec) uses pandas’ floatify: "NaN" is refused, "inf" read', () => {
    const nan = az('{"input_data": {"columns": ["a", "b"], "index": [0], "data": [["NaN", "x"]]}}', ab, t);
    expect(nan.server_log).toContain('Error: Failed to convert column a from type object to DataType.double.');
    expect(az('{"input_data": {"columns": ["a", "b"], "index": [0], "data": [["1_000", "x"]]}}', ab, t).ok).toBe(false);
    const inf = az('{"input_data": {"columns": ["a", "b"], "index": [0], "data": [["-Infinity", "x"]]}}', ab, t);
    expect(inf.ok, String(inf.server_log)).toBe(true);
  });
  it('a bare string becomes pd.DataFrame([x]): its column label is the int 0', () => {
    expect(az('{"input_data": {"input_string": "hi", "parameters": {}}}', ab, t).server_log).toContain('Note that there were extra inputs: [0]');
  });
});

describe('numpy and pandas printouts in 2.12’s messages', () => {
  const tensor: Signature = { inputs: { kind: 'tensors', tensors: [{ name: null, dtype: 'float64', shape: [-1, 3] }] }, outputs: null, params: null, raw: { inputs: null, outputs: null, params: null } } as never;
  it('str() of an array with no element is "[]" whatever its shape', () => {
    expect(az('{"input_data": [[]]}', tensor).server_log).toContain("Failed to enforce schema of data '[]' with schema");
  });
  it('a float in an object column prints in the sign’s place: -0.0 has no leading space', () => {
    const ex = { inputExample: { form: 'dataframe-split', text: '{"columns": ["a", "b"], "data": [[1, "x"]]}', savedType: 'dataframe' } };
    const r = az('{"input_data": {"columns": ["a", "b"], "index": [0], "data": [[1, -0.0]]}}', cols({ a: 'double', b: 'string' }), ex);
    expect(r.server_log).toContain("data '   a    b\n0  1 -0.0'");
  });
});

describe('GET /score?…: A4 reads the query string (Werkzeug url_decode, then json.loads per value)', () => {
  const body = (q: string): string => {
    const r = a4QueryBody(q);
    if (!r.ok) throw new Error(r.log);
    return r.body;
  };
  it('each value is json.loads-ed, else kept as text; + is a space; a repeated key is a list; & alone separates', () => {
    expect(body('input_data=%5B%5B1%2C+2%5D%5D&params=%7B%22k%22%3A+2%7D')).toBe('{"input_data": [[1, 2]], "params": {"k": 2}}');
    expect(body('input_data=hello&input_data=5')).toBe('{"input_data": ["hello", 5]}');
    expect(body('input_data')).toBe('{"input_data": ""}');
    expect(body('input_data=NaN;x=1')).toBe('{"input_data": "NaN;x=1"}');
    expect(body('input_data=%E9')).toBe('{"input_data": "\ufffd"}');
    expect(body('')).toBe('{}');
  });
  it('the body then answers as a POST would: no input_data is the 400, a deep value the internal 500', () => {
    expect(az(body('inputs=1'), reg).body).toEqual({ message: "A value is not provided for the 'input_data' parameter." });
    expect(az(body('input_data=hello'), reg).server_log).toContain("unable to convert input of type <class 'str'> into Pandas Dataframe");
    expect(a4QueryBody(`input_data=${'['.repeat(3000)}${']'.repeat(3000)}`)).toMatchObject({ ok: false, log: expect.stringMatching(/^RecursionError/) });
  });
});


describe("a4BodyText's shortcut for UTF-8 bodies equals decoding their bytes as A4 does", () => {
  it('gives the same text (or error) as detect_encoding + the codec on random bodies', () => {
    // Pieces that move detect_encoding or the decoder: ASCII, 2/3/4-byte characters, NUL, a BOM, escaped bytes
    // (a body whose bytes were not UTF-8), and UTF-16-looking starts.
    const pieces = ['{"input_data": [1.0]}', 'a', 'é', '€', '😀', '\0', '\uFEFF', '\uDCFF', '\uDC80', ' ', '"', '\uD83D\uDE00', 'x\0y'];
    let seed = 20261203;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let shortcut = 0;
    for (let k = 0; k < 3000; k++) {
      let body = '';
      for (let n = rand(8); n > 0; n--) body += pieces[rand(pieces.length)];
      const got = a4BodyText(body);
      expect(got, JSON.stringify(body)).toEqual(decodeA4Bytes(bodyBytesOf(body)));
      if (got.ok && got.text === body) shortcut++;
    }
    expect(shortcut).toBeGreaterThan(1000); // the shortcut's case was exercised
  });
});
