import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { parseMLmodelText, parseYamlDocument, parseYamlText } from './mlmodel';

function fatal(text: string): AppError {
  try {
    parseMLmodelText(text);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('parseMLmodelText', () => {
  it('reads every field, keeping version-like values exactly as written', () => {
    const { info, envFiles, exampleInfo, signatureBlock, issues } = parseMLmodelText(
      [
        'artifact_path: model',
        'databricks_runtime: 14.10',
        'flavors:',
        '  python_function:',
        '    env: {conda: conda.yaml, virtualenv: python_env.yaml}',
        '    loader_module: mlflow.sklearn',
        '    python_version: 3.10', // unquoted: YAML core would read 3.1
        '  sklearn: {sklearn_version: 1.2.0, pickled_model: model.pkl}',
        'is_signature_from_type_hint: true',
        'metadata: {a: 1}',
        'mlflow_version: 2.10',
        'model_size_bytes: 1234',
        'model_uuid: 0123',
        'run_id: abc',
        'saved_input_example_info: {artifact_path: input_example.json, type: dataframe, pandas_orient: split, serving_input_path: serving_input_example.json}',
        "signature: {inputs: '[{\"type\": \"double\"}]', outputs: null}",
        "utc_time_created: '2023-12-06 11:43:15.922970'",
      ].join('\n'),
    );
    expect(issues).toEqual([]);
    expect(info).toMatchObject({
      file: 'MLmodel',
      loaderModule: 'mlflow.sklearn',
      pythonVersion: '3.10',
      mlflowVersion: '2.10',
      modelUuid: '0123',
      runId: 'abc',
      utcTimeCreated: '2023-12-06 11:43:15.922970',
      artifactPath: 'model',
      databricksRuntime: '14.10',
      modelSizeBytes: 1234,
      metadata: { a: 1 },
      isSignatureFromTypeHint: true,
    });
    expect(info.flavors.map((f) => f.name)).toEqual(['python_function', 'sklearn']);
    expect(info.flavors[1].settings).toEqual({ sklearn_version: '1.2.0', pickled_model: 'model.pkl' });
    expect(info.raw.run_id).toBe('abc');
    expect(envFiles).toEqual({ conda: 'conda.yaml', virtualenv: 'python_env.yaml' });
    expect(exampleInfo).toEqual({ artifactPath: 'input_example.json', servingInputPath: 'serving_input_example.json', source: 'saved_input_example_info' });
    expect(signatureBlock).toEqual({ inputs: '[{"type": "double"}]', outputs: null, params: undefined });
  });

  it.each([
    ['env: conda.yaml', { conda: 'conda.yaml', virtualenv: null }],
    ['env: {virtualenv: python_env.yaml}', { conda: null, virtualenv: 'python_env.yaml' }],
    ['loader_module: x', { conda: null, virtualenv: null }],
  ])('python_function %s → env files', (line, expected) => {
    expect(parseMLmodelText(`flavors:\n  python_function:\n    ${line}\n`).envFiles).toEqual(expected);
  });

  it('uses the legacy input_example block when saved_input_example_info is absent', () => {
    const parsed = parseMLmodelText('flavors: {mleap: {}}\ninput_example: {"type": "dataframe", "format": "split", "artifact_path": "input_example.json"}\n');
    expect(parsed.exampleInfo).toEqual({ artifactPath: 'input_example.json', servingInputPath: null, source: 'input_example' });
    expect(parsed.info.savedInputExampleInfo).toBeNull();
  });

  it('duplicate keys are accepted, the last wins (PyYAML behaviour)', () => {
    expect(parseMLmodelText('flavors: {a: {}}\nrun_id: one\nrun_id: two\n').info.runId).toBe('two');
  });

  it.each([
    ['flavors: [a, b]\n', /flavors should be a mapping/],
    ['run_id: x\n', /no "flavors:" block/],
    ['flavors: {a: {}}\nmetadata: [1]\n', /metadata should be a mapping/],
    ['flavors: {a: {}}\nmodel_size_bytes: big\n', /model_size_bytes should be a number/],
    ['flavors: {a: {}}\nmlflow_version: [2]\n', /mlflow_version should be a single value/],
    ['flavors: {a: {}}\nsignature: text\n', /signature should be a mapping/],
    ['flavors: {python_function: {env: [1]}}\n', /env should be a file name or \{conda, virtualenv\}/],
  ])('oddities are issues, not failures: %s', (text, message) => {
    expect(parseMLmodelText(text).issues.join('\n')).toMatch(message);
  });

  it.each([
    ['', /MLmodel is empty/],
    ['   \n\n', /MLmodel is empty/],
    ['- a\n- b\n', /top level is a list, not a mapping/],
    ['just text\n', /top level is a string/],
    ['flavors:\n  a: {\n', /MLmodel is not valid YAML at line \d+, column \d+/],
    ['a: 1\n---\nb: 2\n', /not valid YAML/],
  ])('fatal: %j', (text, message) => {
    const err = fatal(text);
    expect(err.code).toBe('E_INVALID_FILE');
    expect(err.message).toMatch(message);
  });

  it('the invalid MLflow Java variant reports the line of `databricks_runtime: databricks_runtime: …`', () => {
    const err = fatal('flavors:\n  mleap: {}\nrun_id: x\ndatabricks_runtime: databricks_runtime: 11.0-cpu-ml-scala2.12\n');
    expect(err.message).toMatch(/at line 4, column 21: Nested mappings are not allowed in compact mappings/);
    expect(err.details).toMatchObject({ line: 4 });
  });

  it('an alias bomb fails fast with a specific message', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    lines.push('flavors: {}');
    const started = Date.now();
    const err = fatal(lines.join('\n'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err.code).toBe('E_INVALID_FILE');
    expect(err.message).toMatch(/billion laughs/);
  });

  it('absurd nesting is an error, not a stack overflow', () => {
    const err = fatal('flavors: ' + '['.repeat(50_000));
    expect(err.code).toBe('E_INVALID_FILE');
  });

  it.each([
    ['flow mappings', 'flavors: {}\nmetadata: ' + '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000) + '\n'],
    ['block mappings', 'flavors: {}\nmetadata:\n' + Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i + 1)}a:\n`).join('') + `${' '.repeat(2_001)}x: 1\n`],
    ['block lists', 'flavors: {}\nmetadata:\n' + Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i + 1)}-\n`).join('') + `${' '.repeat(2_001)}x\n`],
  ])('valid YAML nested thousands of %s deep says so, not "fix the YAML syntax" with a stack overflow', (_what, text) => {
    const err = fatal(text);
    expect(err.code).toBe('E_INVALID_FILE');
    expect(err.message).toMatch(/^MLmodel nests its lists or mappings too deeply to read \(past line \d+\)/);
    expect(err.message).not.toMatch(/call stack|Fix the YAML syntax/);
  });
});

describe('parseYamlText', () => {
  it('names the file in its errors', () => {
    expect(() => parseYamlText('a: [', 'conda.yaml')).toThrow(/^conda\.yaml is not valid YAML at line/);
  });

  it('parseYamlDocument: the same value and errors, with the document whose nodes give their lines', () => {
    const text = 'dependencies:\n  - python=3.10\n  - pip:\n    - numpy==1.26\n';
    const parsed = parseYamlDocument(text, 'conda.yaml', { schema: 'failsafe' });
    expect(parsed.value).toEqual(parseYamlText(text, 'conda.yaml', { schema: 'failsafe' }));
    const item = parsed.doc.getIn(['dependencies', 1, 'pip', 0], true) as { range: [number, number, number] };
    expect(parsed.lineCounter.linePos(item.range[0]).line).toBe(4);
    expect(() => parseYamlDocument('a: [', 'conda.yaml')).toThrow(/^conda\.yaml is not valid YAML at line/);
  });
});

describe('double-quoted values: the YAML parser reads them a character at a time', () => {
  const head = 'flavors:\n  python_function:\n    loader_module: mlflow.onnx\nmetadata:\n';

  it('2.5 MB of double-quoted text is refused before the parser reads it (about 3 s and 200 MB of it), naming the line', () => {
    const text = `${head}  a: short\n  b: "${'x'.repeat(2_500_000)}"\n`;
    const t0 = performance.now();
    expect(() => parseMLmodelText(text)).toThrow(/^MLmodel has a double-quoted value of more than 1,99\d,\d{3} characters \(opening on line 6\)/);
    expect(performance.now() - t0).toBeLessThan(1_000);
  });

  it('the same text single-quoted is read, and so is a double-quoted value of 1 MB (within the double-quoted budget)', () => {
    expect(parseMLmodelText(`${head}  b: '${'x'.repeat(2_500_000)}'\n`).info.metadata).toMatchObject({ b: expect.stringMatching(/^x{2500000}$/) });
    expect(parseMLmodelText(`${head}  b: "\\xE9${'x'.repeat(1_000_000)}"\n`).info.metadata).toMatchObject({ b: expect.stringMatching(/^éx{1000000}$/) });
  });
});
