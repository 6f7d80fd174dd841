/**
 * `mlflow models serve` loads the model before it listens (`mlflow/pyfunc/scoring_server/wsgi.py`: `app =
 * scoring_server.init(load_model(…))`, the same in 1.x and 2.x): a signature the pinned MLflow cannot read stops
 * `Model.load` (the same rules Azure's script meets at import, mlflow-2-3-gates.ts, docs/fidelity.md §16.1) — the
 * server never starts and no request gets an answer, however good the body.
 */
import { describe, expect, it } from 'vitest';
import type { Signature } from '../model-report';
import { validateRequest, type ValidationResult } from './validate';
import { cols } from './test-signatures';

const sig = (inputs: string): Signature => ({ ...cols({ a: 'double' }), raw: { inputs, outputs: null, params: null } });
const mlflow = (version: string, signature: Signature): ValidationResult =>
  validateRequest({ body: '{"dataframe_split": {"columns": ["a"], "data": [[1.0]]}}', contentType: 'application/json', server: 'mlflow', mlflowVersion: version, signature, flavors: ['python_function'] });
const split1x = (version: string, signature: Signature): ValidationResult =>
  validateRequest({ body: '{"columns": ["a"], "data": [[1.0]]}', contentType: 'application/json', server: 'mlflow', mlflowVersion: version, signature, flavors: ['python_function'] });

describe('mlflow models serve under an MLflow older than the signature never starts', () => {
  const required = sig('[{"type": "double", "name": "a", "required": true}]');
  it('"required" (written by MLflow ≥ 2.10) before 2.10: ColSpec refuses the keyword, no answer at all', () => {
    for (const v of ['2.3.1', '2.7.1', '2.8.1']) {
      const r = mlflow(v, required);
      expect(r.ok).toBe(false);
      expect(r.status).toBe(0);
      expect(r.body).toBeNull();
      expect(r.server_log).toBe(`mlflow models serve cannot load the model (TypeError: ColSpec.__init__() got an unexpected keyword argument 'required', loading MLmodel's signature with MLflow ${v}): the server never starts, so no request gets an answer.`);
    }
    expect(mlflow('2.10.2', required).ok).toBe(true);
    expect(mlflow('2.12.2', required).ok).toBe(true);
  });
  it('"optional" (MLflow 2.4–2.9) under 1.x: the 1.x server does not start either; 2.4.2 reads it', () => {
    const optional = sig('[{"type": "double", "name": "a", "optional": false}]');
    const r = split1x('1.28.0', optional);
    expect(r.status).toBe(0);
    expect(r.server_log).toContain("unexpected keyword argument 'optional'");
    expect(mlflow('2.4.2', optional).ok).toBe(true);
  });
  it('a map column (MLflow ≥ 2.12.1) under 2.10: the key ColSpec does not take is the map\'s "values"', () => {
    const map = sig('[{"type": "map", "values": {"type": "double"}, "name": "m", "required": true}, {"type": "double", "name": "a", "required": true}]');
    expect(mlflow('2.10.2', map).server_log).toContain("unexpected keyword argument 'values'");
  });
});
