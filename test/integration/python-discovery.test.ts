/**
 * Interpreter discovery against real interpreters: PREFLIGHT_PYTHON, a bogus path, an interpreter that
 * cannot load the model (Debian's Python with `-S`, which hides its site-packages), the search order,
 * and findings when the interpreter differs from the model's pins (the model inspected by the real
 * ModelService).
 */
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ErrorCodes } from '../../src/shared/errors';
import { ModelService } from '../../src/main/services/model/model-service';
import { modelNeedsFromReport, type ModelNeeds } from '../../src/main/services/runner/python/model-needs';
import { discoverPython, listCandidates, requireInterpreter } from '../../src/main/services/runner/python/interpreter-discovery';
import { buildSklearnModels, sklearnSkipReason, SYSTEM_PYTHON, type SklearnModels } from '../support/sklearn-models';

if (sklearnSkipReason) console.warn(`python-discovery tests skipped: ${sklearnSkipReason}`);

describe.skipIf(sklearnSkipReason !== null)('Python interpreter discovery', () => {
  let m: SklearnModels;
  let needs: ModelNeeds;
  let bin: string;
  /** Runs Debian's Python without its site-packages: a real interpreter that lacks sklearn, pandas, numpy. */
  let bare: string;

  beforeAll(async () => {
    m = buildSklearnModels();
    needs = modelNeedsFromReport(await new ModelService().inspect(m.diabetes));
    bin = join(m.dir, 'bin');
    mkdirSync(bin);
    bare = join(bin, 'python3');
    writeFileSync(bare, `#!/bin/sh\nexec ${SYSTEM_PYTHON} -S "$@"\n`);
    chmodSync(bare, 0o755);
  });

  afterAll(() => {
    if (m) rmSync(m.dir, { recursive: true, force: true });
  });

  it('uses PREFLIGHT_PYTHON and reports what it has', async () => {
    const d = await discoverPython({ env: { PREFLIGHT_PYTHON: SYSTEM_PYTHON, PATH: '' }, needs });
    const v = m.expected.versions;
    expect(d.chosen).toMatchObject({ path: SYSTEM_PYTHON, source: 'PREFLIGHT_PYTHON', version: v.python });
    expect(d.chosen!.has).toMatchObject({ 'scikit-learn': v.sklearn, numpy: v.numpy, pandas: v.pandas, cloudpickle: v.cloudpickle, mlflow: null });
    expect(d.loader).toBe('pickle-direct');
    // The folder pins exactly what is installed: the only finding is that mlflow is absent.
    expect(d.findings.map((f) => [f.code, f.severity])).toEqual([['python-without-mlflow', 'info']]);
    expect(requireInterpreter(d).path).toBe(SYSTEM_PYTHON);
  });

  it('fails clearly when PREFLIGHT_PYTHON names a path that does not exist, instead of silently using another', async () => {
    const err = await discoverPython({ env: { PREFLIGHT_PYTHON: '/opt/nowhere/bin/python3', PATH: '' }, needs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(ErrorCodes.ENVIRONMENT);
    expect((err as AppError).message).toBe(
      'PREFLIGHT_PYTHON names "/opt/nowhere/bin/python3", which does not exist. Point PREFLIGHT_PYTHON at a Python 3 interpreter (e.g. /usr/bin/python3 or a virtualenv\'s bin/python), or clear it to let Preflight search VIRTUAL_ENV, CONDA_PREFIX and PATH.',
    );
  });

  it('says when the setting names a program that is not Python', async () => {
    const fake = join(bin, 'not-python');
    writeFileSync(fake, '#!/bin/sh\necho hello\n');
    chmodSync(fake, 0o755);
    const err = await discoverPython({ setting: fake, env: { PATH: '' }, needs }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe(ErrorCodes.ENVIRONMENT);
    expect((err as AppError).message).toMatch(/^the Python interpreter setting names ".*not-python", which is not a Python interpreter \(it printed "hello\\n" instead/);
    expect((err as AppError).message).toMatch(/Change the Python interpreter in Settings/);
  });

  it('skips an interpreter on PATH that cannot load the model and picks the next that can', async () => {
    const d = await discoverPython({ env: { PATH: bin }, needs });
    const first = d.candidates[0]!;
    expect(first).toMatchObject({ path: bare, source: 'PATH', canLoad: false, loader: null });
    expect(first.missing).toEqual(expect.arrayContaining(['numpy', 'pandas', 'scikit-learn', 'cloudpickle']));
    expect(d.chosen).toMatchObject({ path: '/usr/bin/python3', source: 'system' });
  });

  it('lists candidates in order: setting, PREFLIGHT_PYTHON, VIRTUAL_ENV, CONDA_PREFIX, PATH, system; duplicates once', async () => {
    const venv = join(m.dir, 'venv');
    mkdirSync(join(venv, 'bin'), { recursive: true });
    cpSync(bare, join(venv, 'bin', 'python'));
    const c = await listCandidates({ setting: bare, env: { PREFLIGHT_PYTHON: SYSTEM_PYTHON, VIRTUAL_ENV: venv, CONDA_PREFIX: join(m.dir, 'no-conda'), PATH: bin }, platform: 'linux' });
    // CONDA_PREFIX names a folder without Python; PATH's python3 is the setting again; /usr/bin/python3 is PREFLIGHT_PYTHON again.
    expect(c.map((x) => [x.source, x.path])).toEqual([
      ['setting', bare],
      ['PREFLIGHT_PYTHON', SYSTEM_PYTHON],
      ['VIRTUAL_ENV', join(venv, 'bin', 'python')],
    ]);
  });

  it('honours an explicit interpreter that lacks packages, with an error finding instead of switching', async () => {
    const d = await discoverPython({ setting: bare, env: { PATH: '' }, needs });
    expect(d.chosen?.path).toBe(bare);
    const codes = d.findings.map((f) => f.code);
    expect(codes).toContain('python-cannot-load-model');
    const missing = d.findings.find((f) => f.code === 'python-package-missing' && f.title.startsWith('scikit-learn'));
    expect(missing).toMatchObject({ severity: 'error', file: expect.stringMatching(/requirements\.txt|conda\.yaml/) });
    expect(missing!.evidence).toContain(`scikit-learn==${m.expected.versions.sklearn}`);
  });

  it('turns a pin the interpreter does not match, and another python_version, into findings', async () => {
    const copy = join(m.dir, 'diabetes-pinned');
    cpSync(m.diabetes, copy, { recursive: true });
    const v = m.expected.versions;
    for (const f of ['requirements.txt', 'conda.yaml']) {
      const p = join(copy, f);
      writeFileSync(p, readFileSync(p, 'utf8').replace(`scikit-learn==${v.sklearn}`, 'scikit-learn==1.2.2').replace(`pandas==${v.pandas}`, 'pandas>=2,<3'));
    }
    const mlmodel = join(copy, 'MLmodel');
    writeFileSync(mlmodel, readFileSync(mlmodel, 'utf8').replace(`python_version: ${v.python}`, 'python_version: 3.8.10'));
    const pinnedNeeds = modelNeedsFromReport(await new ModelService().inspect(copy));

    const d = await discoverPython({ env: { PREFLIGHT_PYTHON: SYSTEM_PYTHON, PATH: '' }, needs: pinnedNeeds });
    const byTitle = (s: string) => d.findings.find((f) => f.title.startsWith(s));
    expect(byTitle('scikit-learn')).toMatchObject({
      code: 'python-package-version-mismatch',
      severity: 'warning',
      title: `scikit-learn ${v.sklearn} does not match the model's pin ==1.2.2`,
    });
    expect(byTitle('scikit-learn')!.fix).toContain(`${SYSTEM_PYTHON} -m pip install "scikit-learn==1.2.2"`);
    expect(byTitle('pandas')).toMatchObject({ code: 'python-package-version-mismatch', title: `pandas ${v.pandas} does not match the model's pin >=2,<3` });
    // Same pin in requirements.txt and conda.yaml: reported once.
    expect(d.findings.filter((f) => f.title.startsWith('scikit-learn'))).toHaveLength(1);
    expect(d.findings.find((f) => f.code === 'python-version-mismatch')).toMatchObject({
      severity: 'warning',
      evidence: `MLmodel says python_version 3.8.10; ${SYSTEM_PYTHON} (Python ${v.python}).`,
    });
  });

  it('reports python-not-found with every candidate and why, when none qualifies', async () => {
    const d = await discoverPython({ env: { PATH: bin }, platform: 'linux', needs: { ...needs, flavors: { python_function: { loader_module: 'mlflow.pyfunc.model' } }, loaderModule: 'mlflow.pyfunc.model' } });
    expect(d.chosen).toBeNull();
    const f = d.findings[0]!;
    expect(f).toMatchObject({ code: 'python-not-found', severity: 'error' });
    expect(f.evidence).toContain(`${bare} (PATH, Python`);
    expect(f.evidence).toMatch(/\/usr\/bin\/python3 \(system, Python [\d.]+\) lacks mlflow/);
    expect(() => requireInterpreter(d)).toThrow(/No local Python can run this model/);
  });
});
