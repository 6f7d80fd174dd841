import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { tensorType } from '../src/main/services/model/onnx/onnx-types';
import { floatTensor, writeOnnxModel, type OnnxModelSpec } from '../test/support/onnx-writer';

/**
 * The bundled sample model (`resources/sample-model/`): scikit-learn's LinearRegression fitted on the
 * diabetes dataset, as an MLflow 2.16.2 folder with the `onnx` flavor, laid out the way
 * `mlflow.onnx.log_model(..., signature=..., input_example=df)` writes it (payloads.md §1).
 * Every byte is derived from the constants below, so regenerating gives an identical folder.
 */

export const DIABETES_COLUMNS = ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'] as const;

/** `LinearRegression().fit(*load_diabetes(return_X_y=True))`: coef_ and intercept_. */
export const DIABETES_COEFFICIENTS = [
  -10.01219782, -239.81908937, 519.83978679, 324.39042769, -792.18416163, 476.74583782, 101.04457032, 177.06417623,
  751.27932109, 67.62538639,
] as const;
export const DIABETES_INTERCEPT = 152.13348416;

/** The first two rows of `load_diabetes().data` (mean-centred, scaled features). */
export const DIABETES_EXAMPLE_ROWS: readonly (readonly number[])[] = [
  [
    0.0380759064334241, 0.0506801187398187, 0.0616962065186885, 0.0218723549949558, -0.0442234984244464,
    -0.0348207628376986, -0.0434008456520269, -0.00259226199818282, 0.0199084208763183, -0.0176461251598052,
  ],
  [
    -0.00188201652779104, -0.044641636506989, -0.0514740612388061, -0.0263278347173518, -0.00844872411121698,
    -0.019163339748222, 0.0744115640787594, -0.0394933828740919, -0.0683297436244215, -0.09220404962683,
  ],
];

const MLFLOW_VERSION = '2.16.2';
const ONNX_VERSION = '1.16.2';
const ONNXRUNTIME_VERSION = '1.19.2';
const PYTHON_VERSION = '3.11.9';
// Fixed identifiers: a real run would have random ones, but the folder must be reproducible.
const MODEL_UUID = 'd4c2a07b9f1e4b6c8a35e0f2b7c19d53';
const RUN_ID = 'b8e1f4a2c6d94e7fa3b05c1d2e9f7a60';
const UTC_TIME_CREATED = '2024-09-26 14:03:11.482913';

/** input [N,10] → MatMul(coef [10,1]) → Add(intercept [1]) → variable [N,1], as skl2onnx converts LinearRegression. */
export function diabetesOnnxModel(): OnnxModelSpec {
  return {
    irVersion: 8,
    opsetImports: [{ domain: '', version: 17 }],
    producerName: 'preflight',
    producerVersion: '0.1.0',
    docString: 'scikit-learn LinearRegression fitted on sklearn.datasets.load_diabetes, written by scripts/make-sample-model.ts',
    metadataProps: [
      { key: 'source', value: 'sklearn.linear_model.LinearRegression on sklearn.datasets.load_diabetes' },
      { key: 'columns', value: DIABETES_COLUMNS.join(',') },
    ],
    graph: {
      name: 'diabetes_linear_regression',
      nodes: [
        { name: 'MatMul', opType: 'MatMul', inputs: ['input', 'coef'], outputs: ['multiplied'] },
        { name: 'Add', opType: 'Add', inputs: ['multiplied', 'intercept'], outputs: ['variable'] },
      ],
      initializers: [floatTensor('coef', [10, 1], DIABETES_COEFFICIENTS), floatTensor('intercept', [1], [DIABETES_INTERCEPT])],
      inputs: [{ name: 'input', type: tensorType('float', ['N', 10]) }],
      outputs: [{ name: 'variable', type: tensorType('float', ['N', 1]) }],
    },
  };
}

// ---- Python-compatible serialisation --------------------------------------------------------------

/** `json.dumps(value)` with Python's default separators (`, ` and `: `), for ASCII strings and non-integral floats. */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A YAML mapping entry whose value PyYAML writes single-quoted, folded the way PyYAML's emitter does
 * (`write_single_quoted`, best_width 80): a lone space becomes a line break once the line is past
 * column 80, and continuation lines are indented two more than the key.
 */
export function pyYamlQuotedEntry(key: string, value: string, indent: number): string {
  let out = `${' '.repeat(indent)}${key}: '`;
  let column = out.length;
  const text = value.replace(/'/g, "''");
  const words = text.split(' ');
  for (let i = 0; i < words.length; i++) {
    if (i > 0) {
      const lone = words[i - 1] !== '' && words[i] !== '';
      if (lone && column > 80) {
        out += `\n${' '.repeat(indent + 2)}`;
        column = indent + 2;
      } else {
        out += ' ';
        column += 1;
      }
    }
    out += words[i];
    column += words[i].length;
  }
  return `${out}'`;
}

function mlmodelText(modelSizeBytes: number): string {
  const inputs = JSON.stringify(DIABETES_COLUMNS.map((name) => ({ type: 'double', name, required: true })))
    .replace(/,"/g, ', "')
    .replace(/":/g, '": ')
    .replace(/\},\{/g, '}, {');
  const outputs = '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 1]}}]';
  return [
    'artifact_path: model',
    'flavors:',
    '  onnx:',
    '    code: null',
    '    data: model.onnx',
    `    onnx_version: ${ONNX_VERSION}`,
    '    providers:',
    '    - CUDAExecutionProvider',
    '    - CPUExecutionProvider',
    '  python_function:',
    '    data: model.onnx',
    '    env:',
    '      conda: conda.yaml',
    '      virtualenv: python_env.yaml',
    '    loader_module: mlflow.onnx',
    `    python_version: ${PYTHON_VERSION}`,
    `mlflow_version: ${MLFLOW_VERSION}`,
    `model_size_bytes: ${modelSizeBytes}`,
    `model_uuid: ${MODEL_UUID}`,
    `run_id: ${RUN_ID}`,
    'saved_input_example_info:',
    '  artifact_path: input_example.json',
    '  pandas_orient: split',
    '  serving_input_path: serving_input_example.json',
    '  type: dataframe',
    'signature:',
    pyYamlQuotedEntry('inputs', inputs, 2),
    pyYamlQuotedEntry('outputs', outputs, 2),
    '  params: null',
    `utc_time_created: '${UTC_TIME_CREATED}'`,
    '',
  ].join('\n');
}

const CONDA_YAML = `channels:
- conda-forge
dependencies:
- python=${PYTHON_VERSION}
- pip<=24.2
- pip:
  - mlflow==${MLFLOW_VERSION}
  - onnx==${ONNX_VERSION}
  - onnxruntime==${ONNXRUNTIME_VERSION}
name: mlflow-env
`;

const PYTHON_ENV_YAML = `python: ${PYTHON_VERSION}
build_dependencies:
- pip==24.2
- setuptools==74.1.2
- wheel==0.44.0
dependencies:
- -r requirements.txt
`;

const REQUIREMENTS_TXT = `mlflow==${MLFLOW_VERSION}
onnx==${ONNX_VERSION}
onnxruntime==${ONNXRUNTIME_VERSION}
`;

async function writeAtomic(path: string, content: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes the sample MLflow model folder into `dir` (created if needed). Deterministic: the same bytes
 * every time, so the committed `resources/sample-model/` can be checked against a fresh run.
 */
export async function writeSampleModel(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const split = { columns: [...DIABETES_COLUMNS], data: DIABETES_EXAMPLE_ROWS.map((r) => [...r]) };
  await writeOnnxModel(join(dir, 'model.onnx'), diabetesOnnxModel());
  // MLflow ≥ 2.16 stores a DataFrame example as split orient without the index (payloads.md §1).
  await writeAtomic(join(dir, 'input_example.json'), pythonJson(split));
  await writeAtomic(join(dir, 'serving_input_example.json'), JSON.stringify({ dataframe_split: split }, null, 2));
  // MLflow measures the folder after the model and examples are saved and before MLmodel and the env files.
  let size = 0;
  for (const f of ['model.onnx', 'input_example.json', 'serving_input_example.json']) size += (await stat(join(dir, f))).size;
  await writeAtomic(join(dir, 'MLmodel'), mlmodelText(size));
  await writeAtomic(join(dir, 'conda.yaml'), CONDA_YAML);
  await writeAtomic(join(dir, 'python_env.yaml'), PYTHON_ENV_YAML);
  await writeAtomic(join(dir, 'requirements.txt'), REQUIREMENTS_TXT);
}
