import { describe, expect, it } from 'vitest';
import { handlerCasts, modelReaderDeclarations, repeatedShapes, shapesIn } from '../support/shape-scan';

/**
 * Issue 12, the house: "one request/answer shape". Every object that crosses the contract is declared once (a
 * zod schema); services derive their request/answer types from it (`CallInput`, `CallOutput`, `z.output`), and
 * IPC handlers pass the input through and return the service's answer — no field copied by hand, no cast.
 */

/**
 * Repeats not folded yet, each with its reason. The list only shrinks: an entry that no longer repeats fails
 * the test too, so it is removed when its shape is derived.
 */
const NOT_YET: Record<string, string> = {
  // Recursive unions: zod cannot infer a recursive type, so the type is written once by hand and the schema is typed with it.
  'src/shared/mlflow/model-report.ts OnnxType': 'recursive',
  'src/shared/mlflow/payload/model-input.ts ModelReceives': 'recursive',
  // Different things with a few field names in common.
  'src/shared/mlflow/signature.ts RawSignatureBlock': 'MLmodel’s signature block as written in the YAML file',
  'src/main/services/runner/python/interpreter-discovery.ts PythonDiscovery': 'what discovery found, before the pins are compared',
  // Renderer view models.
  'src/renderer/src/features/playground/store/validation-view.ts Preview': 'renderer: a preview of model_receives',
};

describe('one request/answer shape', () => {
  it('no service, engine or handler re-declares an object of the contract', () => {
    const hits = repeatedShapes().map((h) => ({ id: `${h.declared.file} ${h.declared.name}`, at: `${h.declared.file}:${h.declared.line}`, schema: h.schema.where }));
    const unexpected = hits.filter((h) => !(h.id in NOT_YET)).map((h) => `${h.at} repeats ${h.schema}: derive it (CallInput/CallOutput or z.output of the schema)`);
    expect(unexpected).toEqual([]);
    const folded = Object.keys(NOT_YET).filter((id) => !hits.some((h) => h.id === id));
    expect(folded, 'these no longer repeat a contract shape: remove them from NOT_YET').toEqual([]);
  });

  it('finds a hand-written copy of a request, as the services had the five request fields', () => {
    const copy = shapesIn('src/main/services/x.ts', 'export interface PredictInput {\n  modelPath: string;\n  body: string;\n  server: ServerKind;\n  contentType: string | null;\n  mlflowVersion?: string | null;\n}\n');
    expect(repeatedShapes(copy).map((h) => h.schema.where)).toEqual(['payload.validate input']);
    // …and one without an id the caller adds (batch.run's jobId), through an interface it extends.
    const minusOne = shapesIn('src/main/services/x.ts', 'interface A { modelPath: string; input: string; outDir: string }\ninterface B extends A { chunkRows?: number; outputFileName?: string; outputAction?: string; overwrite?: boolean }\n');
    expect(repeatedShapes(minusOne).map((h) => `${h.declared.name} ~ ${h.schema.where}`)).toEqual(['B ~ batch.run input']);
  });

  it('IPC handlers pass inputs and answers through without casts', () => {
    expect(handlerCasts()).toEqual([]);
  });

  it('services read models through the one ModelReader port (src/main/ports/model-reader.ts)', () => {
    expect(modelReaderDeclarations()).toEqual([]);
  });
});
