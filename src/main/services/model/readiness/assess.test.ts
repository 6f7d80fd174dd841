import { describe, expect, it } from 'vitest';
import { FindingSchema, type Finding } from '@shared/mlflow/model-report';
import { isAllowedExternalUrl, referenceLinks } from '@shared/external-links';
import { assessReadiness, type ReportWithoutFindings } from './assess';
import { Ref } from './finding';
import {
  cleanReport, col, columnsSignature, condaFile, example, mlmodel, onnxInput, onnxSummary, pip, tensor, tensorSignature,
} from './report-builder';

const codes = (r: ReportWithoutFindings): string[] => assessReadiness(r).map((f) => f.code);
const only = (r: ReportWithoutFindings, code: string): Finding => {
  const found = assessReadiness(r).filter((f) => f.code === code);
  expect(found, `expected exactly one ${code}, got ${JSON.stringify(codes(r))}`).toHaveLength(1);
  return found[0]!;
};
const env = (deps: ReturnType<typeof pip>[], files = [condaFile()]): ReportWithoutFindings['environment'] => ({
  files, dependencies: deps, conflicts: [], indexUrls: [],
});
const baseDeps = [pip('scikit-learn==1.5.2'), pip('azureml-ai-monitoring')];

describe('assessReadiness', () => {
  it('has nothing to say about a clean model', () => {
    expect(assessReadiness(cleanReport())).toEqual([]);
  });

  it('produces schema-valid findings with evidence, fix and reference, errors first', () => {
    const r = cleanReport({
      mlmodel: mlmodel({ flavors: [{ name: 'sklearn', settings: {} }], pythonVersion: '3.7.7' }),
      signature: null,
      environment: env([pip('mlflow'), ...baseDeps], [condaFile('3.7.7')]),
    });
    const all = assessReadiness(r);
    expect(all.map((f) => f.code)).toEqual(['no-pyfunc-flavor', 'no-signature', 'mlflow-unpinned', 'python-version-outdated']);
    for (const f of all) {
      expect(FindingSchema.parse(f)).toEqual(f);
      expect(f.evidence.length).toBeGreaterThan(20);
      expect(f.fix.length).toBeGreaterThan(20);
      expect(f.reference).toBeTruthy();
      for (const link of referenceLinks(f.reference!)) expect(isAllowedExternalUrl(link), link).toBe(true);
    }
  });

  it('cites only public links the desktop app will open', () => {
    for (const url of Object.values(Ref)) expect(isAllowedExternalUrl(url), url).toBe(true);
  });

  // ---- table: one change to the clean report → the rule that must fire, and what its evidence quotes ----
  const cases: { name: string; report: () => ReportWithoutFindings; code: string; severity: Finding['severity']; evidence: RegExp[] }[] = [
    {
      name: 'no python_function flavor',
      report: () => cleanReport({ mlmodel: mlmodel({ flavors: [{ name: 'mleap', settings: {} }] }) }),
      code: 'no-pyfunc-flavor', severity: 'error', evidence: [/`mleap`/, /python_function/],
    },
    {
      name: 'bare ONNX file',
      report: () => cleanReport({ kind: 'onnx-file', mlmodel: null, signature: null, name: 'model.onnx' }),
      code: 'not-an-mlflow-model', severity: 'error', evidence: [/model\.onnx/],
    },
    {
      name: 'ONNX files in a folder without MLmodel',
      report: () => cleanReport({ mlmodel: null, signature: null, name: 'onnx-only' }),
      code: 'not-an-mlflow-model', severity: 'error', evidence: [/onnx-only holds ONNX files but no MLmodel/],
    },
    {
      name: 'the pickle MLmodel names is not in the folder',
      report: () => cleanReport({
        mlmodel: mlmodel({ flavors: [
          { name: 'python_function', settings: { loader_module: 'mlflow.sklearn', model_path: 'model.pkl' } },
          { name: 'sklearn', settings: { pickled_model: 'model.pkl', code: null } },
        ] }),
        files: [{ path: 'MLmodel', kind: 'file', size: 500, target: null, outside: false }],
      }),
      code: 'missing-model-artifact', severity: 'error', evidence: [/`model\.pkl` in `flavors\.python_function\.model_path` and `flavors\.sklearn\.pickled_model`/],
    },
    {
      name: 'a pyfunc artifact MLmodel names is not in the folder',
      report: () => cleanReport({
        mlmodel: mlmodel({ flavors: [{ name: 'python_function', settings: {
          loader_module: 'mlflow.pyfunc.model', python_model: 'model.pkl', artifacts: { weights: { path: 'artifacts/weights.pt', uri: '/tmp/w.pt' } },
        } }] }),
      }),
      code: 'missing-model-artifact', severity: 'error', evidence: [/`artifacts\/weights\.pt` in `flavors\.python_function\.artifacts\.weights\.path`/],
    },
    {
      name: 'pickled with another scikit-learn than the environment pins',
      report: () => cleanReport({ mlmodel: mlmodel({ flavors: [{ name: 'python_function', settings: {} }, { name: 'sklearn', settings: { sklearn_version: '1.2.2' } }] }) }),
      code: 'sklearn-version-mismatch', severity: 'warning', evidence: [/`sklearn_version: 1\.2\.2`/, /installs scikit-learn 1\.5\.2/],
    },
    {
      name: 'pickled with a scikit-learn the environment does not pin',
      report: () => cleanReport({
        mlmodel: mlmodel({ flavors: [{ name: 'python_function', settings: {} }, { name: 'sklearn', settings: { sklearn_version: '1.5.2' } }] }),
        environment: env([pip('mlflow==2.16.2'), pip('scikit-learn>=1.0'), pip('azureml-ai-monitoring')]),
      }),
      code: 'sklearn-version-mismatch', severity: 'warning', evidence: [/`scikit-learn>=1\.0`/, /newest matching release/],
    },
    {
      name: 'environment files that disagree',
      report: () => cleanReport({
        environment: { ...env([pip('mlflow==2.16.2'), ...baseDeps]), conflicts: [{ name: 'mlflow', entries: [{ file: 'conda.yaml', spec: '==2.16.2' }, { file: 'requirements.txt', spec: '<3' }], message: 'mlflow: conda.yaml asks for ==2.16.2, requirements.txt asks for <3.' }] },
      }),
      code: 'environment-files-disagree', severity: 'warning', evidence: [/requirements\.txt asks for <3/],
    },
    {
      name: 'no signature',
      report: () => cleanReport({ signature: null }),
      code: 'no-signature', severity: 'warning', evidence: [/no `signature:` block/, /index/],
    },
    {
      name: 'array input column without example',
      report: () => cleanReport({ signature: columnsSignature([col('messages', { type: 'array', items: { type: 'string' } })]) }),
      code: 'signature-type-unsupported-on-azure', severity: 'error', evidence: [/`messages`/, /array/, /UnboundLocalError: cannot access local variable 'sample_input'/],
    },
    {
      // the real A1 with MLflow 2.8.1 (and 2.3.1, 2.7.1) on a folder whose signature has "required": docs/fidelity.md §16
      name: 'a signature written by MLflow ≥ 2.10 ("required") under an older mlflow pin',
      report: () => cleanReport({
        environment: env([pip('mlflow==2.8.1'), ...baseDeps]),
        signature: { ...columnsSignature([col('x', 'double')], null), raw: { inputs: '[{"type": "double", "name": "x", "required": true}]', outputs: null, params: null } },
      }),
      code: 'signature-too-new-for-pinned-mlflow', severity: 'error', evidence: [/MLflow 2\.8\.1/, /TypeError: ColSpec\.__init__\(\) got an unexpected keyword argument 'required'/],
    },
    {
      // §16.1: the real A1 + Model.load under 2.4.2 on a folder MLflow 2.16.2 wrote, an array column first
      name: 'an array column written by MLflow 2.16.2 under an mlflow 2.4.2 pin (ColSpec stops at "items")',
      report: () => cleanReport({
        environment: env([pip('mlflow==2.4.2'), ...baseDeps]),
        signature: { ...columnsSignature([col('v', { type: 'array', items: { type: 'double' } }), col('a', 'double')], null), raw: { inputs: '[{"type": "array", "items": {"type": "double"}, "name": "v", "required": true}, {"type": "double", "name": "a", "required": true}]', outputs: null, params: null } },
      }),
      code: 'signature-too-new-for-pinned-mlflow', severity: 'error', evidence: [/MLflow 2\.4\.2/, /column `v` is an `array`/, /unexpected keyword argument 'items'/],
    },
    {
      // §16.1: a folder MLflow 2.4.2 wrote with an optional column, under 2.3.1 (ColSpec takes `optional` from 2.4.0, #8438)
      name: 'an "optional" column written by MLflow 2.4.2 under an mlflow 2.3.1 pin',
      report: () => cleanReport({
        mlmodel: mlmodel({ mlflowVersion: '2.4.2' }),
        environment: env([pip('mlflow==2.3.1'), ...baseDeps]),
        signature: { ...columnsSignature([col('a', 'double'), col('n', 'long')], null), raw: { inputs: '[{"type": "double", "name": "a"}, {"type": "long", "name": "n", "optional": true}]', outputs: null, params: null } },
      }),
      code: 'signature-too-new-for-pinned-mlflow', severity: 'error', evidence: [/MLflow 2\.3\.1/, /column `n` carries an `"optional"` key/, /unexpected keyword argument 'optional'/],
    },
    {
      // §16.1: 2.10 and 2.11 read arrays and objects but not a map column (Map: #11265, first tag v2.12.1)
      name: 'a map column under an mlflow 2.10.2 pin',
      report: () => cleanReport({
        environment: env([pip('mlflow==2.10.2'), ...baseDeps]),
        signature: { ...columnsSignature([col('m', { type: 'map', values: { type: 'double' } })], null), raw: { inputs: '[{"type": "map", "values": {"type": "double"}, "name": "m", "required": true}]', outputs: null, params: null } },
      }),
      code: 'signature-too-new-for-pinned-mlflow', severity: 'error', evidence: [/MLflow 2\.10\.2/, /is a `map`/, /unexpected keyword argument 'values'/],
    },
    {
      // §16.1: ... and a map nested in an object (Property.from_json_dict → "Unsupported type 'map'"), real A1 under 2.10.2
      name: 'a map nested in an object column under an mlflow 2.10.2 pin',
      report: () => cleanReport({
        environment: env([pip('mlflow==2.10.2'), ...baseDeps]),
        signature: { ...columnsSignature([col('o', { type: 'object', properties: { q: { type: { type: 'map', values: { type: 'string' } }, required: true } } })], null), raw: { inputs: '[{"type": "object", "properties": {"q": {"type": "map", "values": {"type": "string"}, "required": true}}, "name": "o", "required": true}]', outputs: null, params: null } },
      }),
      code: 'signature-too-new-for-pinned-mlflow', severity: 'error', evidence: [/column `o` holds a `map`, a type MLflow has from 2\.12 on/, /MlflowException: Unsupported type 'map'/],
    },
    {
      name: 'map output column',
      report: () => cleanReport({ signature: columnsSignature([col('x', 'double')], [col('scores', { type: 'map', values: { type: 'double' } })]) }),
      code: 'signature-output-type-unsupported-on-azure', severity: 'error', evidence: [/`scores`/],
    },
    {
      name: 'json_object input example holding a JSON object (non-transformers model)',
      report: () => cleanReport({
        mlmodel: mlmodel({ savedInputExampleInfo: { artifact_path: 'input_example.json', type: 'json_object' } }),
        inputExamples: [{ ...example('input_example.json', { age: [63.0], bmi: [22.5] }), form: 'json-object' }],
      }),
      code: 'input-example-fails-on-azure', severity: 'error', evidence: [/`type: json_object`/, /Invalid sample input provided, must provide a sample Numpy array\./],
    },
    {
      name: 'array input column after a scalar one',
      report: () => cleanReport({ signature: columnsSignature([col('x', 'double'), col('v', { type: 'array', items: { type: 'double' } })]) }),
      code: 'signature-type-unsupported-on-azure', severity: 'error', evidence: [/`v`/, /Invalid sample input provided/],
    },
    {
      name: 'binary input column',
      report: () => cleanReport({ signature: columnsSignature([col('image', 'binary')]) }),
      code: 'binary-column-stays-base64-on-azure', severity: 'info', evidence: [/`image`/, /base64/],
    },
    {
      name: 'type-hint signature',
      report: () => cleanReport({ mlmodel: mlmodel({ isSignatureFromTypeHint: true, mlflowVersion: '2.21.3' }), environment: env([pip('mlflow==2.21.3'), ...baseDeps]) }),
      code: 'type-hint-signature-needs-inputs-key', severity: 'info', evidence: [/'inputs' key/],
    },
    {
      name: 'pre-2.16 tensor example with a float32 spec',
      report: () => cleanReport({
        mlmodel: mlmodel({ savedInputExampleInfo: { artifact_path: 'input_example.json', type: 'ndarray', format: 'tf-serving' } }),
        signature: tensorSignature([tensor(null, 'float32', [-1, 4])]),
        inputExamples: [example('input_example.json', { inputs: [[5.1, 3.5, 1.4, 0.2]] })],
      }),
      code: 'tensor-example-pre-2-16', severity: 'error', evidence: [/input_example\.json/, /float32/, /float64/],
    },
    {
      name: 'dataframe example with ints for a double column and floats for a long column',
      report: () => cleanReport({
        mlmodel: mlmodel({ savedInputExampleInfo: { artifact_path: 'input_example.json', type: 'dataframe', pandas_orient: 'split' } }),
        inputExamples: [example('input_example.json', null, '{"columns": ["age", "bmi", "sex", "group"], "data": [[63, 22.5, 1.0, "a"]]}')],
      }),
      code: 'input-example-overrides-signature', severity: 'error', evidence: [/`age`: signature double .* int64/, /`sex`: signature long .* float64/],
    },
    {
      name: 'all-integer dataframe example for double columns (its text reads like a JSON.stringify re-print)',
      report: () => {
        const content = { columns: ['age', 'bmi'], data: [[63, 22]] };
        return cleanReport({
          mlmodel: mlmodel({ savedInputExampleInfo: { artifact_path: 'input_example.json', type: 'dataframe', pandas_orient: 'split' } }),
          inputExamples: [example('input_example.json', content, JSON.stringify(content, null, 2))],
        });
      },
      code: 'input-example-overrides-signature', severity: 'error', evidence: [/`age`: signature double .* int64/, /`bmi`: signature double .* int64/],
    },
    {
      name: 'onnx graph takes float[?,3] but the signature has 4 long columns',
      report: () => cleanReport({
        mlmodel: mlmodel({ flavors: [{ name: 'python_function', settings: {} }, { name: 'onnx', settings: { data: 'model.onnx' } }] }),
        signature: columnsSignature([col('a', 'long'), col('b', 'long'), col('c', 'long'), col('d', 'long')], [col('variable', 'double')]),
        onnx: [onnxSummary([onnxInput('X', 'float', [null, 3])], [onnxInput('variable', 'float', [null, 1])])],
      }),
      code: 'onnx-signature-input-mismatch', severity: 'error', evidence: [/dimension 1 is 4/, /fixes it to 3/, /feeds int64/],
    },
    {
      name: 'onnx multi-input graph with [?,1] inputs fed 1-D columns',
      report: () => cleanReport({
        mlmodel: mlmodel({ flavors: [{ name: 'python_function', settings: {} }, { name: 'onnx', settings: { data: 'model.onnx' } }] }),
        signature: columnsSignature([col('age', 'double'), col('sex', 'string')], null),
        onnx: [onnxSummary([onnxInput('age', 'float', [null, 1]), onnxInput('fare', 'float', [null, 1])], [])],
      }),
      code: 'onnx-signature-input-mismatch', severity: 'error', evidence: [/`age` is fed a 1-D array/, /`fare` has no signature column/],
    },
    {
      name: 'onnx output names differ',
      report: () => cleanReport({
        mlmodel: mlmodel({ flavors: [{ name: 'python_function', settings: {} }, { name: 'onnx', settings: {} }] }),
        signature: tensorSignature([tensor('X', 'float32', [-1, 2])], [tensor('probabilities', 'float32', [-1, 2])]),
        onnx: [onnxSummary([onnxInput('X', 'float', [null, 2])], [onnxInput('label', 'int64', [null])])],
      }),
      code: 'onnx-signature-output-mismatch', severity: 'warning', evidence: [/`probabilities`/, /`label`/],
    },
    {
      name: 'no conda.yaml but conda.yml',
      report: () => cleanReport({ environment: env([pip('mlflow==2.16.2', { file: 'conda.yml' }), pip('azureml-ai-monitoring', { file: 'conda.yml' })], [condaFile('3.12', 'conda.yml')]) }),
      code: 'no-conda-yaml', severity: 'error', evidence: [/`conda\.yml`/, /code 98/],
    },
    {
      name: 'mlflow missing',
      report: () => cleanReport({ environment: env(baseDeps) }),
      code: 'mlflow-missing', severity: 'error', evidence: [/conda\.yaml lists no `mlflow`/],
    },
    {
      name: 'mlflow unpinned',
      report: () => cleanReport({ environment: env([pip('mlflow>=2'), ...baseDeps]) }),
      code: 'mlflow-unpinned', severity: 'warning', evidence: [/`mlflow>=2`/, /logged with mlflow 2\.16\.2/],
    },
    {
      name: 'mlflow pin differs in minor release',
      report: () => cleanReport({ environment: env([pip('mlflow==2.7.1'), ...baseDeps]) }),
      code: 'mlflow-pin-mismatch', severity: 'warning', evidence: [/mlflow==2\.7\.1/, /mlflow_version: 2\.16\.2/],
    },
    {
      name: 'mlflow 3 pinned',
      report: () => cleanReport({ mlmodel: mlmodel({ mlflowVersion: '3.1.0' }), environment: env([pip('mlflow==3.1.0'), ...baseDeps]) }),
      code: 'mlflow-3-no-code', severity: 'warning', evidence: [/mlflow==3\.1\.0/],
    },
    {
      name: 'params schema with mlflow 2.5 pinned',
      report: () => cleanReport({
        mlmodel: mlmodel({ mlflowVersion: '2.5.0' }),
        signature: { ...columnsSignature([col('x', 'double')]), params: [{ name: 'top_k', type: 'long', display: 'long', default: 3, shape: null }] },
        environment: env([pip('mlflow==2.5.0'), ...baseDeps]),
      }),
      code: 'signature-needs-newer-mlflow', severity: 'warning', evidence: [/`top_k`/, /≥ 2\.6/],
    },
    {
      name: 'optional column with mlflow 2.3 pinned',
      report: () => cleanReport({
        mlmodel: mlmodel({ mlflowVersion: '2.3.1' }),
        signature: columnsSignature([col('x', 'double'), col('note', 'string', false)]),
        environment: env([pip('mlflow==2.3.1'), ...baseDeps]),
      }),
      code: 'signature-needs-newer-mlflow', severity: 'warning', evidence: [/`note`/, /≥ 2\.4/],
    },
    {
      name: 'python 3.6',
      report: () => cleanReport({ environment: env([pip('mlflow==2.16.2'), ...baseDeps], [condaFile('3.6.8')]) }),
      code: 'python-version-unsupported', severity: 'error', evidence: [/3\.6\.8/],
    },
    {
      name: 'python 3.8',
      report: () => cleanReport({ environment: env([pip('mlflow==2.16.2'), ...baseDeps], [condaFile('3.8.12')]) }),
      code: 'python-version-outdated', severity: 'warning', evidence: [/3\.8\.12/, /≥ 3\.9/],
    },
    {
      name: 'python 3.13',
      report: () => cleanReport({ environment: env([pip('mlflow==2.16.2'), ...baseDeps], [condaFile('3.13.1')]) }),
      code: 'python-version-untested', severity: 'info', evidence: [/3\.12/],
    },
    {
      name: 'azureml-ai-monitoring missing',
      report: () => cleanReport({ environment: env([pip('mlflow==2.16.2'), pip('scikit-learn==1.5.2')]) }),
      code: 'missing-azureml-ai-monitoring', severity: 'warning', evidence: [/azureml\.ai/],
    },
    {
      name: 'git+ requirement and private index',
      report: () => {
        const r = cleanReport({ environment: env([pip('mlflow==2.16.2'), ...baseDeps, pip('mylib @ git+https://github.com/acme/mylib', { name: 'mylib', spec: 'git+https://github.com/acme/mylib', source: 'vcs', line: 7 })]) });
        r.environment.indexUrls = ['https://pkgs.dev.azure.com/acme/_packaging/feed/pypi/simple/'];
        return r;
      },
      code: 'needs-private-link-packaging', severity: 'warning', evidence: [/conda\.yaml:7 `mylib @ git\+https/, /pkgs\.dev\.azure\.com/],
    },
    {
      name: 'absolute local path requirement',
      report: () => cleanReport({ environment: env([pip('mlflow==2.16.2'), ...baseDeps, pip('/home/me/wheels/mylib-1.0-py3-none-any.whl', { name: 'mylib', spec: '/home/me/wheels/mylib-1.0-py3-none-any.whl', source: 'local-path' })]) }),
      code: 'dependency-path-not-in-container', severity: 'error', evidence: [/\/home\/me\/wheels/],
    },
    {
      name: 'large model',
      report: () => cleanReport({
        totalBytes: 3 * 1024 ** 3,
        files: [{ path: 'model.onnx', kind: 'file', size: 3 * 1024 ** 3, target: null, outside: false }],
      }),
      code: 'large-model', severity: 'warning', evidence: [/3\.0 GiB/, /`model\.onnx`/],
    },
  ];

  it.each(cases)('$name → $code', ({ report, code, severity, evidence }) => {
    const f = only(report(), code);
    expect(f.severity).toBe(severity);
    for (const re of evidence) expect(f.evidence).toMatch(re);
  });
});

describe('rules that must stay silent', () => {
  it.each([
    {
      name: 'a split example whose dtypes match the signature (3.0 written as a float)',
      report: cleanReport({
        mlmodel: mlmodel({ savedInputExampleInfo: { artifact_path: 'input_example.json', type: 'dataframe' } }),
        inputExamples: [example('input_example.json', null, '{"columns": ["age", "bmi", "sex", "group"], "data": [[63.0, 22.5, 1, "a"]]}')],
      }),
    },
    {
      name: 'an example file MLmodel does not name (Azure never reads it)',
      report: cleanReport({ inputExamples: [example('input_example.json', null, '{"columns": ["age"], "data": [[63]]}')] }),
    },
    {
      name: 'a ≥ 2.16 bare-list tensor example (Azure falls back to the signature)',
      report: cleanReport({
        mlmodel: mlmodel({ savedInputExampleInfo: { artifact_path: 'input_example.json', type: 'ndarray' } }),
        signature: tensorSignature([tensor(null, 'float32', [-1, 4])]),
        inputExamples: [example('input_example.json', [[5.1, 3.5, 1.4, 0.2]])],
      }),
    },
    {
      name: 'a matching onnx graph (double columns cast to float)',
      report: cleanReport({
        mlmodel: mlmodel({ flavors: [{ name: 'python_function', settings: {} }, { name: 'onnx', settings: { data: 'model.onnx' } }] }),
        signature: columnsSignature([col('a', 'double'), col('b', 'double')], [col('variable', 'float')]),
        onnx: [onnxSummary([onnxInput('X', 'float', ['N', 2])], [onnxInput('variable', 'float', ['N', 1])])],
        files: [{ path: 'model.onnx', kind: 'file', size: 518, target: null, outside: false }],
      }),
    },
    {
      name: 'pickled with the scikit-learn the environment pins',
      report: cleanReport({ mlmodel: mlmodel({ flavors: [{ name: 'python_function', settings: { model_path: 'model.pkl' } }, { name: 'sklearn', settings: { pickled_model: 'model.pkl', sklearn_version: '1.5.2' } }] }) }),
    },
    { name: 'mlflow pinned with a patch difference is only info', report: cleanReport({ environment: env([pip('mlflow==2.16.0'), ...baseDeps]) }), allow: ['mlflow-pin-mismatch'] },
  ])('$name', ({ report, allow }) => {
    const got = assessReadiness(report).filter((f) => !(allow ?? []).includes(f.code) || f.severity !== 'info');
    expect(got).toEqual([]);
  });
});

describe('Azure script import failures: what starts after all (each branch run with the real script)', () => {
  const importCodes = ['input-example-fails-on-azure', 'signature-type-unsupported-on-azure', 'signature-output-type-unsupported-on-azure', 'signature-too-new-for-pinned-mlflow'];
  const arrayCol = { type: 'array', items: { type: 'double' } } as const;
  it.each([
    ['an un-named array column (create_other_sample_io list branch)', () => cleanReport({ signature: columnsSignature([col(null, arrayCol)]) })],
    ['an array column with a DataFrame input example', () => cleanReport({
      signature: columnsSignature([col('x', 'double'), col('v', arrayCol)]),
      mlmodel: mlmodel({ savedInputExampleInfo: { artifact_path: 'input_example.json', type: 'dataframe', pandas_orient: 'split' } }),
      inputExamples: [example('input_example.json', null, '{"columns": ["x", "v"], "data": [[1.0, [1.0, 2.0]]]}')],
    })],
    ['a JSON-object example on a transformers model', () => cleanReport({
      mlmodel: mlmodel({
        flavors: [{ name: 'python_function', settings: {} }, { name: 'transformers', settings: {} }],
        savedInputExampleInfo: { artifact_path: 'input_example.json', type: 'json_object' },
      }),
      inputExamples: [{ ...example('input_example.json', { age: [63.0] }), form: 'json-object' }],
    })],
    ['a JSON-object example holding a list', () => cleanReport({
      mlmodel: mlmodel({ savedInputExampleInfo: { artifact_path: 'input_example.json', type: 'json_object' } }),
      inputExamples: [{ ...example('input_example.json', [[63.0, 22.5]]), form: 'json-object' }],
    })],
    ['a "required" signature under mlflow 2.10.2 (ColSpec takes it from 2.10.0)', () => cleanReport({
      environment: env([pip('mlflow==2.10.2'), ...baseDeps]),
      signature: { ...columnsSignature([col('x', 'double')], null), raw: { inputs: '[{"type": "double", "name": "x", "required": true}]', outputs: null, params: null } },
    })],
    ['an "optional" column (written by 2.4–2.9) under mlflow 2.4.2 (ColSpec takes it from 2.4.0)', () => cleanReport({
      mlmodel: mlmodel({ mlflowVersion: '2.4.2' }),
      environment: env([pip('mlflow==2.4.2'), ...baseDeps]),
      signature: { ...columnsSignature([col('a', 'double'), col('n', 'long')], null), raw: { inputs: '[{"type": "double", "name": "a"}, {"type": "long", "name": "n", "optional": true}]', outputs: null, params: null } },
    })],
    ['an input_example.json MLmodel does not name', () => cleanReport({ inputExamples: [{ ...example('input_example.json', { age: [63.0] }), form: 'json-object' }] })],
  ])('%s: no import-failure finding', (_name, report) => {
    expect(codes(report()).filter((c) => importCodes.includes(c))).toEqual([]);
  });
});

