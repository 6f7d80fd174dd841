import type {
  ColumnSpec,
  ColType,
  Dependency,
  EnvFile,
  InputExample,
  MLmodelInfo,
  OnnxSummary,
  OnnxValueInfo,
  Signature,
  TensorSpec,
} from '@shared/mlflow/model-report';
import type { ReportWithoutFindings } from './finding';

/**
 * Small, valid reports for the readiness tests. `cleanReport()` is a model Azure should accept without a
 * single finding (pyfunc, signature, pinned mlflow, python 3.12, azureml-ai-monitoring); tests change
 * one thing at a time.
 */

export function col(name: string | null, type: ColType['type'] | ColType, required = true): ColumnSpec {
  const t = (typeof type === 'string' ? { type } : type) as ColType;
  return { name, type: t, required, display: t.type };
}

export function tensor(name: string | null, dtype: string, shape: number[]): TensorSpec {
  return { name, dtype, shape };
}

export function columnsSignature(inputs: ColumnSpec[], outputs: ColumnSpec[] | null = [col(null, 'double')]): Signature {
  return {
    inputs: { kind: 'columns', columns: inputs },
    outputs: outputs ? { kind: 'columns', columns: outputs } : null,
    params: null,
    raw: { inputs: '[]', outputs: outputs ? '[]' : null, params: null },
  };
}

export function tensorSignature(inputs: TensorSpec[], outputs: TensorSpec[] | null = null): Signature {
  return {
    inputs: { kind: 'tensors', tensors: inputs },
    outputs: outputs ? { kind: 'tensors', tensors: outputs } : null,
    params: null,
    raw: { inputs: '[]', outputs: outputs ? '[]' : null, params: null },
  };
}

export function mlmodel(over: Partial<MLmodelInfo> = {}): MLmodelInfo {
  return {
    file: 'MLmodel',
    flavors: [
      { name: 'python_function', settings: { loader_module: 'mlflow.sklearn', env: { conda: 'conda.yaml' } } },
      { name: 'sklearn', settings: {} },
    ],
    loaderModule: 'mlflow.sklearn',
    pythonVersion: '3.12.3',
    mlflowVersion: '2.16.2',
    modelUuid: 'abc',
    runId: null,
    utcTimeCreated: null,
    artifactPath: null,
    databricksRuntime: null,
    modelSizeBytes: null,
    metadata: null,
    savedInputExampleInfo: null,
    isSignatureFromTypeHint: false,
    raw: {},
    ...over,
  };
}

export function pip(raw: string, over: Partial<Dependency> = {}): Dependency {
  const m = /^([A-Za-z0-9._-]+)\s*(.*)$/.exec(raw.trim());
  return {
    name: (m?.[1] ?? raw).toLowerCase().replace(/[_.]/g, '-'),
    spec: m?.[2] ?? '',
    raw,
    file: 'conda.yaml',
    line: null,
    installer: 'pip',
    channel: null,
    source: 'index',
    ...over,
  };
}

export function condaFile(python = '3.12.3', file = 'conda.yaml'): EnvFile {
  return { file, kind: 'conda', python, error: null };
}

/** An input example as the model service reports it; given `text`, `content` is what JSON.parse makes of it. */
export function example(file: string, content: unknown, text?: string): InputExample {
  return {
    file,
    role: 'input_example',
    form: 'dataframe-split',
    content: text !== undefined && content === null ? (JSON.parse(text) as unknown) : content,
    pretty: text ?? JSON.stringify(content, null, 2),
    truncated: false,
    hasParams: false,
    error: null,
  };
}

export function onnxInput(name: string, elemType: string, shape: (number | string | null)[] | null): OnnxValueInfo {
  return { name, type: { kind: 'tensor', elemType, shape }, display: `tensor(${elemType})${shape ? `[${shape.map((d) => (d === null ? '?' : String(d))).join(',')}]` : ''}`, docString: null };
}

export function onnxSummary(inputs: OnnxValueInfo[], outputs: OnnxValueInfo[], file = 'model.onnx'): OnnxSummary {
  return {
    file, fileSize: 1000, irVersion: 8, producerName: 'skl2onnx', producerVersion: '1.16', domain: null, modelVersion: 0,
    docString: null, graphName: 'g', opsetImports: [{ domain: '', version: 17 }], metadataProps: [], inputs, outputs,
    nodeCount: 1, opTypes: [], initializerCount: 0, initializerBytes: 0, externalData: [],
  };
}

export function cleanReport(over: Partial<ReportWithoutFindings> = {}): ReportWithoutFindings {
  return {
    schemaVersion: 1,
    path: '/models/diabetes',
    name: 'diabetes',
    kind: 'mlflow-folder',
    mlmodel: mlmodel(),
    signature: columnsSignature([col('age', 'double'), col('bmi', 'double'), col('sex', 'long'), col('group', 'string')]),
    inputExamples: [],
    environment: {
      files: [condaFile()],
      dependencies: [pip('mlflow==2.16.2'), pip('scikit-learn==1.5.2'), pip('azureml-ai-monitoring')],
      conflicts: [],
      indexUrls: [],
    },
    onnx: [],
    files: [
      { path: 'MLmodel', kind: 'file', size: 500, target: null, outside: false },
      { path: 'conda.yaml', kind: 'file', size: 200, target: null, outside: false },
      { path: 'model.pkl', kind: 'file', size: 40_000, target: null, outside: false },
    ],
    totalBytes: 40_700,
    problems: [],
    ...over,
  };
}
