import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tensorType } from '../../src/main/services/model/onnx/onnx-types';
import { attr, floatTensor, writeOnnxModel } from './onnx-writer';

/** y = sum(M·M) with M an n×n matrix of ones, n from the int64[2] input: seconds of CPU for n in the thousands. */
export async function writeSlowModel(path: string): Promise<void> {
  await writeOnnxModel(path, {
    opsetImports: [{ domain: '', version: 13 }],
    graph: {
      name: 'slow',
      nodes: [
        { opType: 'ConstantOfShape', inputs: ['shape'], outputs: ['m'], attributes: [attr.tensor('value', floatTensor('value', [1], [1]))] },
        { opType: 'MatMul', inputs: ['m', 'm'], outputs: ['mm'] },
        { opType: 'ReduceSum', inputs: ['mm'], outputs: ['y'], attributes: [attr.int('keepdims', 0)] },
      ],
      inputs: [{ name: 'shape', type: tensorType('int64', [2]) }],
      outputs: [{ name: 'y', type: tensorType('float', []) }],
    },
  });
}

/**
 * The MLmodel `mlflow.onnx.save_model` writes beside `model.onnx`: `onnx` + `python_function` (loader
 * `mlflow.onnx`) flavors and a column signature. `inputs`/`outputs` are the signature's JSON column lists
 * (null: none).
 */
export async function writeOnnxFlavorMLmodel(folder: string, o: { mlflowVersion: string; inputs: object[]; outputs: object[] | null }): Promise<void> {
  const json = (cols: object[] | null): string => (cols === null ? 'null' : `'${JSON.stringify(cols).replaceAll('","', '", "').replaceAll('":', '": ').replaceAll('},{', '}, {')}'`);
  await writeFile(
    join(folder, 'MLmodel'),
    [
      'flavors:',
      '  onnx:',
      '    data: model.onnx',
      '    onnx_version: 1.16.2',
      '  python_function:',
      '    data: model.onnx',
      '    loader_module: mlflow.onnx',
      `mlflow_version: ${o.mlflowVersion}`,
      'signature:',
      `  inputs: ${json(o.inputs)}`,
      `  outputs: ${json(o.outputs)}`,
      '  params: null',
      '',
    ].join('\n'),
  );
}
