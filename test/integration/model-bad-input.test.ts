import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walkModelFolder } from '../../src/main/services/model/file-tree';
import { MAX_DEPENDENCIES } from '../../src/main/services/model/environment';
import { ModelService } from '../../src/main/services/model/model-service';
import { ModelReportSchema, type ModelReport } from '../../src/shared/mlflow/model-report';

/** Bad input of every kind, in real temp folders: each gives a specific error or problem, never a crash or hang. */

const service = new ModelService();
const roots: string[] = [];
afterAll(async () => {
  for (const d of roots) {
    await chmod(d, 0o755).catch(() => {});
    await rm(d, { recursive: true, force: true });
  }
});

const GOOD_MLMODEL = [
  'flavors:',
  '  python_function:',
  '    env: {conda: conda.yaml, virtualenv: python_env.yaml}',
  '    loader_module: mlflow.sklearn',
  '    python_version: 3.12.3',
  'mlflow_version: 2.16.0',
  '',
].join('\n');

async function makeDir(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'preflight-bad-'));
  roots.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

async function inspectOk(dir: string): Promise<ModelReport> {
  const report = await service.inspect(dir);
  expect(() => ModelReportSchema.parse(JSON.parse(JSON.stringify(report)))).not.toThrow();
  return report;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('fatal: there is no model to show', () => {
  it('a missing path', async () => {
    const missing = join(tmpdir(), 'preflight-definitely-missing-folder');
    await expect(service.inspect(missing)).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: `Model folder not found: ${missing}. Check the path, or pick the folder that contains the MLmodel file.` });
  });

  it('an empty folder', async () => {
    const dir = await makeDir();
    await expect(service.inspect(dir)).rejects.toMatchObject({ code: 'E_NOT_A_MODEL', message: expect.stringMatching(/is empty\. An MLflow model folder holds an MLmodel file/) });
  });

  it('a folder without MLmodel or .onnx names the folder, not what is inside it', async () => {
    const dir = await makeDir({ 'model.pkl': 'x', 'notes.txt': 'y', 'sub/a.txt': 'z' });
    const err = await service.inspect(dir).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'E_NOT_A_MODEL',
      message: `${dir} is not an MLflow model folder: it has no MLmodel file and no .onnx file. Pick the folder that contains MLmodel (often a "model" subfolder of a run's artifacts), or a .onnx file.`,
    });
    expect(JSON.stringify((err as { details?: unknown }).details)).not.toMatch(/notes\.txt|model\.pkl|sub/);
  });

  it("a run's artifacts folder (the parent of the model) asks \"did you mean <child>/model?\"", async () => {
    const dir = await makeDir({ 'model/MLmodel': GOOD_MLMODEL, 'model/model.onnx': 'x', 'model/conda.yaml': 'channels: []', 'other/deep/MLmodel': GOOD_MLMODEL });
    await expect(service.inspect(dir)).rejects.toMatchObject({
      code: 'E_NOT_A_MODEL',
      message: `${dir} is not an MLflow model folder: it has no MLmodel file of its own. Did you mean ${join(dir, 'model')}? (other model folders inside: ${join(dir, 'other/deep')}) Open the folder that contains MLmodel.`,
    });
  });

  it('a folder of ONNX files without MLmodel is never "ready": an error finding', async () => {
    const dir = await makeDir({ 'model.onnx': 'not really onnx' });
    const report = await inspectOk(dir);
    expect(report.findings.map((f) => [f.code, f.severity])).toContainEqual(['not-an-mlflow-model', 'error']);
  });

  it('a file that is neither MLmodel nor .onnx', async () => {
    const dir = await makeDir({ 'model.pkl': 'x' });
    await expect(service.inspect(join(dir, 'model.pkl'))).rejects.toMatchObject({ code: 'E_NOT_A_MODEL', message: expect.stringMatching(/is a file \(model\.pkl\), not an MLflow model/) });
  });

  it.each([
    ['invalid YAML', 'flavors:\n  python_function: {loader_module: x\nrun_id: 1\n', /^MLmodel is not valid YAML at line \d+, column \d+: .+\. Fix the YAML syntax on that line/],
    ['not a mapping', '- just\n- a list\n', /^MLmodel is YAML but its top level is a list, not a mapping/],
    ['a 0-byte file', '', /^MLmodel is empty\./],
    ['binary content', '\u0000\u0001\u0002', /^MLmodel is YAML but its top level is a string, not a mapping/],
  ])('MLmodel with %s → E_INVALID_FILE', async (_what, content, message) => {
    const dir = await makeDir({ MLmodel: content });
    await expect(service.inspect(dir)).rejects.toMatchObject({ code: 'E_INVALID_FILE', message: expect.stringMatching(message) });
  });

  it('MLmodel that is not UTF-8 → E_INVALID_FILE', async () => {
    const dir = await makeDir();
    await writeFile(join(dir, 'MLmodel'), Buffer.from([0x66, 0x6c, 0x61, 0x76, 0xff, 0xfe, 0x0a]));
    await expect(service.inspect(dir)).rejects.toMatchObject({ code: 'E_INVALID_FILE', message: 'MLmodel is not UTF-8 text (it looks binary). Check that it is the right file.' });
  });

  it.each([
    ['UTF-16LE', 'utf16le', true],
    ['UTF-16BE', 'utf16be', false],
  ] as const)('MLmodel saved as %s (Buffer encoding %s, with a BOM: %s) → E_INVALID_FILE saying so and how to re-save it as UTF-8', async (name, encoding, bom) => {
    const dir = await makeDir();
    let bytes = Buffer.from(GOOD_MLMODEL, 'utf16le');
    if (encoding === 'utf16be') bytes = Buffer.from(bytes).swap16();
    if (bom) bytes = Buffer.concat([Buffer.from(encoding === 'utf16le' ? [0xff, 0xfe] : [0xfe, 0xff]), bytes]);
    await writeFile(join(dir, 'MLmodel'), bytes);
    await expect(service.inspect(dir)).rejects.toMatchObject({
      code: 'E_INVALID_FILE',
      message: `MLmodel is ${name} text, not UTF-8: MLflow reads model files as UTF-8 (a Windows editor or PowerShell's \`>\` redirection writes UTF-16). Save it as UTF-8, e.g. \`iconv -f ${name} -t UTF-8 MLmodel\`, or re-save the model with MLflow.`,
    });
  });

  it('a YAML alias bomb fails fast with E_INVALID_FILE', async () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    lines.push('flavors: {python_function: {loader_module: x}}');
    const dir = await makeDir({ MLmodel: lines.join('\n') });
    const started = Date.now();
    await expect(service.inspect(dir)).rejects.toMatchObject({ code: 'E_INVALID_FILE', message: expect.stringMatching(/billion laughs/) });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a huge MLmodel is refused by size, without reading it', async () => {
    const dir = await makeDir({ MLmodel: 'flavors: {}\n' });
    await truncate(join(dir, 'MLmodel'), 64 * 1024 * 1024); // sparse: no real disk use
    await expect(service.inspect(dir)).rejects.toMatchObject({ code: 'E_INVALID_FILE', message: expect.stringMatching(/^MLmodel is 64\.0 MiB, more than the 16\.0 MiB Preflight reads for this kind of file\. MLflow writes a few kB, .*Check that MLmodel is the file MLflow wrote/) });
  });

  it('a directory named MLmodel → E_UNREADABLE', async () => {
    const dir = await makeDir({ 'MLmodel/inner.txt': 'x' });
    await expect(service.inspect(dir)).rejects.toMatchObject({ code: 'E_UNREADABLE', message: 'MLmodel is a folder, not a file.' });
  });

  it('a FIFO named MLmodel → E_UNREADABLE, no hang', async () => {
    const dir = await makeDir();
    execFileSync('mkfifo', [join(dir, 'MLmodel')]);
    await expect(service.inspect(dir)).rejects.toMatchObject({ code: 'E_UNREADABLE', message: expect.stringMatching(/^MLmodel is not a regular file \(it is a FIFO, socket or device\)/) });
  });

  it('MLmodel symlinked to a file outside the folder → E_OUTSIDE_FOLDER', async () => {
    const outside = await makeDir({ MLmodel: GOOD_MLMODEL });
    const dir = await makeDir();
    await symlink(join(outside, 'MLmodel'), join(dir, 'MLmodel'));
    await expect(service.inspect(dir)).rejects.toMatchObject({ code: 'E_OUTSIDE_FOLDER', message: expect.stringMatching(/^MLmodel is a symlink to .*, outside the model folder/) });
  });

  it.skipIf(isRoot)('an unreadable MLmodel (chmod 000) → E_UNREADABLE', async () => {
    // Skipped as root (CI containers): root reads any file whatever its mode, so chmod cannot make it unreadable.
    const dir = await makeDir({ MLmodel: GOOD_MLMODEL });
    await chmod(join(dir, 'MLmodel'), 0o000);
    await expect(service.inspect(dir)).rejects.toMatchObject({ code: 'E_UNREADABLE', message: expect.stringMatching(/^MLmodel could not be read: permission denied/) });
  });

  it('cancellation → E_CANCELLED', async () => {
    const dir = await makeDir({ MLmodel: GOOD_MLMODEL });
    const controller = new AbortController();
    controller.abort();
    await expect(service.inspect(dir, { signal: controller.signal })).rejects.toMatchObject({ code: 'E_CANCELLED' });
  });
});

describe('non-fatal: problems, and the rest of the report still there', () => {
  it('a signature part that is not JSON, and an unknown column type', async () => {
    const dir = await makeDir({
      MLmodel: GOOD_MLMODEL + `signature:\n  inputs: '[{"type": "double", "name": "a"'\n  outputs: '[{"type": "dubble", "name": "y"}]'\n  params: '[{"name": "k", "type": "long", "default": 3, "shape": null}]'\n`,
    });
    const r = await inspectOk(dir);
    expect(r.signature).toMatchObject({ inputs: null, outputs: null, params: [{ name: 'k', default: 3 }], raw: { inputs: '[{"type": "double", "name": "a"' } });
    const messages = r.problems.filter((p) => p.file === 'MLmodel');
    expect(messages[0]).toMatchObject({ code: 'E_INVALID_FILE', message: expect.stringMatching(/^MLmodel signature\.inputs is not valid JSON: .+\. MLflow stores each signature part as a JSON string/) });
    expect(messages[1].message).toMatch(/^MLmodel signature\.outputs\[0\] \(column 'y'\): unknown type "dubble"/);
  });

  it('env files and examples that are FIFOs, folders, outside links or too big become problems, and nothing hangs', async () => {
    const outside = await makeDir({ 'secret-conda.yaml': 'dependencies: [python=3.12]\n' });
    const dir = await makeDir({ MLmodel: GOOD_MLMODEL + 'saved_input_example_info: {artifact_path: input_example.json, type: ndarray}\n', 'python_env.yaml/x': '' });
    execFileSync('mkfifo', [join(dir, 'input_example.json')]);
    execFileSync('mkfifo', [join(dir, 'pipe.onnx')]);
    await symlink(join(outside, 'secret-conda.yaml'), join(dir, 'conda.yaml'));
    await writeFile(join(dir, 'requirements.txt'), 'mlflow\n');
    await truncate(join(dir, 'requirements.txt'), 30 * 1024 * 1024);
    const r = await inspectOk(dir);
    const byFile = Object.fromEntries(r.problems.map((p) => [p.file, p]));
    expect(byFile['conda.yaml']).toMatchObject({ code: 'E_OUTSIDE_FOLDER', message: expect.stringMatching(/^conda\.yaml is a symlink to .*, outside the model folder/) });
    expect(byFile['python_env.yaml']).toMatchObject({ code: 'E_UNREADABLE', message: 'python_env.yaml is a folder, not a file.' });
    expect(byFile['requirements.txt']).toMatchObject({ code: 'E_INVALID_FILE', message: expect.stringMatching(/^requirements\.txt is 30\.0 MiB, more than the 20\.0 MiB/) });
    expect(r.problems.filter((p) => p.file === 'input_example.json').map((p) => p.code)).toContain('E_UNREADABLE');
    expect(r.problems.filter((p) => p.file === 'pipe.onnx').map((p) => p.code)).toContain('E_UNREADABLE');
    expect(r.environment.files.map((f) => [f.file, f.error !== null])).toEqual([['conda.yaml', true], ['python_env.yaml', true], ['requirements.txt', true]]);
    expect(r.files.find((f) => f.path === 'conda.yaml')).toMatchObject({ kind: 'symlink', target: join(outside, 'secret-conda.yaml'), outside: true });
    expect(JSON.stringify(r)).not.toContain('python=3.12');
  });

  it('names in MLmodel that leave the folder are refused', async () => {
    const dir = await makeDir({
      MLmodel: 'flavors:\n  python_function: {env: ../../etc/conda.yaml, loader_module: x}\n  onnx: {data: /etc/model.onnx}\nsaved_input_example_info: {artifact_path: ../example.json, type: ndarray}\n',
    });
    const r = await inspectOk(dir);
    expect(r.problems.map((p) => [p.file, p.code])).toEqual([
      ['MLmodel', 'E_OUTSIDE_FOLDER'],
      ['MLmodel', 'E_OUTSIDE_FOLDER'],
      ['MLmodel', 'E_OUTSIDE_FOLDER'],
    ]);
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/names "\.\.\/\.\.\/etc\/conda\.yaml", which is outside the model folder/);
  });

  it('symlinks inside the folder are listed, not followed, with their targets', async () => {
    const dir = await makeDir({ MLmodel: GOOD_MLMODEL, 'data/w.bin': '1234' });
    await symlink('data/w.bin', join(dir, 'alias.bin'));
    await symlink('/etc', join(dir, 'etc-link'));
    await symlink('missing-target', join(dir, 'dangling'));
    const r = await inspectOk(dir);
    expect(r.files.filter((f) => f.kind === 'symlink').map((f) => [f.path, f.target, f.outside])).toEqual([
      ['alias.bin', 'data/w.bin', false],
      ['dangling', 'missing-target', false],
      ['etc-link', '/etc', true],
    ]);
    expect(r.files.some((f) => f.path.startsWith('etc-link/'))).toBe(false);
    expect(r.files.find((f) => f.path === 'data')?.size).toBe(4);
  });

  it('an input example that is not JSON keeps its text and an error; Python NaN is read as null', async () => {
    const dir = await makeDir({
      MLmodel: GOOD_MLMODEL + 'saved_input_example_info: {artifact_path: input_example.json, type: dataframe, pandas_orient: split, serving_input_path: serving_input_example.json}\n',
      'input_example.json': '{"columns": ["a"], "data": [[1,]]}',
      'serving_input_example.json': '{"dataframe_split": {"columns": ["a", "b"], "data": [[NaN, -Infinity]]}}',
    });
    const r = await inspectOk(dir);
    expect(r.inputExamples[0]).toMatchObject({ file: 'input_example.json', form: 'unknown', content: null, pretty: '{"columns": ["a"], "data": [[1,]]}', error: expect.stringMatching(/^input_example\.json is not valid JSON: /) });
    expect(r.inputExamples[1]).toMatchObject({ file: 'serving_input_example.json', role: 'serving_input_example', form: 'serving-body', content: { dataframe_split: { columns: ['a', 'b'], data: [[null, null]] } }, error: null });
    expect(r.problems.filter((p) => p.file.endsWith('.json')).map((p) => [p.file, p.code])).toEqual([
      ['input_example.json', 'E_INVALID_FILE'],
      ['serving_input_example.json', 'I_NON_FINITE_JSON'],
    ]);
  });

  it('a big example is pretty-printed up to 200 000 characters, flagged truncated, content kept whole', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [i, i * 0.5, 'value']);
    const dir = await makeDir({ MLmodel: GOOD_MLMODEL, 'input_example.json': JSON.stringify({ columns: ['a', 'b', 'c'], data: rows }) });
    const r = await inspectOk(dir);
    expect(r.inputExamples[0]).toMatchObject({ truncated: true, form: 'dataframe-split' });
    expect(r.inputExamples[0].pretty).toHaveLength(200_000);
    expect((r.inputExamples[0].content as { data: unknown[] }).data).toHaveLength(20_000);
  });

  it('conda.yaml that is not YAML names its line; one that is not a mapping says so', async () => {
    const bad = await makeDir({ MLmodel: GOOD_MLMODEL, 'conda.yaml': 'channels:\n  - conda-forge\ndependencies: [python=3.12\n' });
    const r1 = await inspectOk(bad);
    expect(r1.environment.files[0].error).toMatch(/^conda\.yaml is not valid YAML at line \d+/);
    const list = await makeDir({ MLmodel: GOOD_MLMODEL, 'conda.yaml': '- python=3.12\n' });
    const r2 = await inspectOk(list);
    expect(r2.problems[0]).toMatchObject({ file: 'conda.yaml', code: 'E_INVALID_FILE', message: expect.stringMatching(/should be a YAML mapping with "channels" and "dependencies", found a list/) });
  });

  it('a truncated / non-ONNX .onnx becomes a problem for that file; the MLmodel still reads', async () => {
    const dir = await makeDir({ MLmodel: GOOD_MLMODEL, 'model.onnx': 'this is not protobuf at all' });
    const r = await inspectOk(dir);
    expect(r.mlmodel?.loaderModule).toBe('mlflow.sklearn');
    expect(r.onnx).toEqual([]);
    expect(r.problems.filter((p) => p.file === 'model.onnx')).toHaveLength(1);
  });

  it('a folder of bare .onnx files without MLmodel is shown, with a problem saying MLmodel is missing', async () => {
    const dir = await makeDir({ 'model.onnx': 'not onnx' });
    const r = await inspectOk(dir);
    expect(r).toMatchObject({ kind: 'mlflow-folder', mlmodel: null, signature: null });
    expect(r.problems[0]).toMatchObject({ file: 'MLmodel', code: 'E_NOT_FOUND', message: expect.stringMatching(/^The folder has no MLmodel file, so only its ONNX files are shown/) });
  });

  it('folders deeper than the cap are listed up to it, with a problem', async () => {
    const deep = Array.from({ length: 40 }, (_, i) => `d${i}`).join('/');
    const dir = await makeDir({ MLmodel: GOOD_MLMODEL, [`${deep}/f.txt`]: 'x' });
    const r = await inspectOk(dir);
    expect(r.problems.find((p) => p.code === 'E_TOO_DEEP')?.message).toMatch(/nested 32 folders deep; Preflight lists at most 32 levels/);
    expect(r.files.some((f) => f.path.endsWith('f.txt'))).toBe(false);
  });

  it('the entry cap stops the walk with a problem', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`f${String(i).padStart(2, '0')}.txt`] = 'x';
    const dir = await makeDir(files);
    const walk = await walkModelFolder(dir, { maxEntries: 10 });
    expect(walk.files).toHaveLength(10);
    expect(walk.problems[0]).toMatchObject({ code: 'E_TOO_MANY_FILES', message: expect.stringMatching(/more than 10 entries/) });
  });
});

describe('the entry cap and the files MLflow loads', () => {
  it('a folder that reaches the cap still lists every entry of each folder before what is inside its subfolders', async () => {
    const files: Record<string, string> = { MLmodel: GOOD_MLMODEL, 'model.onnx': 'x', 'conda.yaml': 'channels: []' };
    for (let i = 0; i < 30; i++) files[`AAA-cache/f${String(i).padStart(2, '0')}.txt`] = 'x';
    const dir = await makeDir(files);
    const walk = await walkModelFolder(dir, { maxEntries: 10 });
    expect(walk.files).toHaveLength(10);
    expect(walk.files.map((f) => f.path)).toEqual(expect.arrayContaining(['AAA-cache', 'MLmodel', 'conda.yaml', 'model.onnx']));
    expect(walk.problems[0]).toMatchObject({ code: 'E_TOO_MANY_FILES' });
  });

  it('50 001 files in a subfolder sorted before model.onnx: no false "model.onnx is missing" error', async () => {
    const dir = await makeDir({ MLmodel: ['flavors:', '  onnx: {data: model.onnx}', '  python_function: {data: model.onnx, loader_module: mlflow.onnx}', ''].join('\n') });
    await writeFile(join(dir, 'model.onnx'), 'not really onnx');
    await mkdir(join(dir, 'cache'));
    for (let i = 0; i <= 50_000; i += 1000) {
      await Promise.all(Array.from({ length: 1000 }, (_, k) => writeFile(join(dir, 'cache', `f${i + k}`), '')));
    }
    const r = await inspectOk(dir);
    expect(r.problems.map((p) => p.code)).toContain('E_TOO_MANY_FILES');
    expect(r.findings.map((f) => f.code)).not.toContain('missing-model-artifact');
    expect(r.problems.find((p) => p.code === 'E_NOT_FOUND')).toBeUndefined();
    expect(r.files.map((f) => f.path)).toContain('model.onnx');
  }, 60_000);
});

describe('input example forms (payloads.md §1 "Input examples")', () => {
  const info = (extra: string): string => GOOD_MLMODEL + `saved_input_example_info: {artifact_path: input_example.json, ${extra}}\n`;
  it.each([
    ['split without index (2.x)', info('type: dataframe, pandas_orient: split'), '{"columns": ["a"], "data": [[1]]}', 'dataframe-split', false],
    ['split without columns', info('type: dataframe, pandas_orient: split'), '{"data": [[1, 2]]}', 'dataframe-split', false],
    ['values orient', info('type: dataframe, pandas_orient: values'), '[[1, 2], [3, 4]]', 'dataframe-values', false],
    ['bare ndarray (≥ 2.16)', info('type: ndarray'), '[[1.0, 2.0]]', 'ndarray', false],
    ['named ndarrays', info('type: ndarray'), '{"x": [[1.0]], "y": [2]}', 'named-ndarrays', false],
    ['tf-serving ndarray (< 2.16)', info('type: ndarray, format: tf-serving'), '{"inputs": [[1.0, 2.0]]}', 'tf-serving', false],
    ['with params', info('type: ndarray'), '{"inputs": [[1.0]], "params": {"k": 3}}', 'ndarray', true],
    ['dataframe with params', info('type: dataframe, pandas_orient: split'), '{"inputs": {"columns": ["a"], "data": [[1]]}, "params": {"k": 3}}', 'dataframe-split', true],
    ['json_object', info('type: json_object'), '{"messages": [{"role": "user", "content": "hi"}]}', 'json-object', false],
    ['sparse csr', info('type: sparse_matrix_csr'), '{"data": [1.0], "indices": [0], "indptr": [0, 1], "shape": [1, 3]}', 'sparse', false],
    ['1.x columns/data, no version', 'flavors: {python_function: {loader_module: x}}\n', '{"columns": ["a"], "data": [[1]]}', 'legacy-split', false],
    ['unreferenced bare list', GOOD_MLMODEL, '[1, 2, 3]', 'ndarray', false],
  ])('%s', async (_what, mlmodel, example, form, hasParams) => {
    const dir = await makeDir({ MLmodel: mlmodel, 'input_example.json': example });
    const r = await inspectOk(dir);
    expect(r.inputExamples).toHaveLength(1);
    expect(r.inputExamples[0]).toMatchObject({ file: 'input_example.json', role: 'input_example', form, hasParams, truncated: false, error: null, content: JSON.parse(example) });
  });
});

describe('environment: pip options, sources, redaction and conflicts', () => {
  it('reads every documented pip form, follows -r/-c (even in a cycle), redacts credentials and flags disagreements', async () => {
    const dir = await makeDir({
      MLmodel: GOOD_MLMODEL,
      'conda.yaml': 'channels: [conda-forge]\ndependencies:\n  - python=3.11\n  - pip:\n    - mlflow==2.4\n    - numpy==1.26.4\n',
      'python_env.yaml': 'python: 3.12.3\nbuild_dependencies: [pip, setuptools, wheel]\ndependencies:\n  - -r requirements.txt\n',
      'requirements.txt': [
        '--index-url https://build:hunter2@pkgs.corp.example/simple',
        '--extra-index-url https://pypi.org/simple',
        '--find-links ./wheels',
        'mlflow<3',
        'numpy==1.26.4 ; python_version >= "3.9"',
        'scikit-learn[alldeps]>=1.3',
        'tool @ git+https://x-token:ghp_SECRET@github.com/org/tool.git@v1',
        '-e ./libs/helper',
        './wheels/local_pkg-0.1.0-py3-none-any.whl',
        'https://example.com/remote_pkg-2.0.tar.gz',
        '-r more.txt',
        '-c constraints.txt',
        '',
      ].join('\n'),
      'more.txt': '# loops back\n-r requirements.txt\npandas==2.2.0\n',
      'constraints.txt': 'numpy==1.26.4\n',
    });
    const r = await inspectOk(dir);
    const json = JSON.stringify(r);
    expect(json).not.toContain('hunter2');
    expect(json).not.toContain('ghp_SECRET');
    expect(r.environment.files.map((f) => [f.file, f.kind, f.python])).toEqual([
      ['conda.yaml', 'conda', '3.11'],
      ['python_env.yaml', 'python_env', '3.12.3'],
      ['requirements.txt', 'requirements', null],
      ['constraints.txt', 'constraints', null],
      ['more.txt', 'requirements', null],
    ]);
    expect(r.environment.indexUrls).toEqual(['https://build:***@pkgs.corp.example/simple', 'https://pypi.org/simple', './wheels']);
    const req = r.environment.dependencies.filter((d) => d.file === 'requirements.txt').map((d) => [d.name, d.spec, d.source, d.line]);
    expect(req).toEqual([
      ['--index-url', 'https://build:***@pkgs.corp.example/simple', 'private-index', 1],
      ['--extra-index-url', 'https://pypi.org/simple', 'index', 2],
      ['--find-links', './wheels', 'local-path', 3],
      ['mlflow', '<3', 'private-index', 4],
      ['numpy', '==1.26.4', 'private-index', 5],
      ['scikit-learn', '>=1.3', 'private-index', 6],
      ['tool', 'git+https://x-token:***@github.com/org/tool.git@v1', 'vcs', 7],
      ['helper', './libs/helper', 'local-path', 8],
      ['local-pkg', './wheels/local_pkg-0.1.0-py3-none-any.whl', 'local-path', 9],
      ['remote-pkg', 'https://example.com/remote_pkg-2.0.tar.gz', 'url', 10],
    ]);
    expect(r.environment.dependencies.find((d) => d.file === 'more.txt')).toMatchObject({ name: 'pandas', spec: '==2.2.0', line: 3 });
    expect(r.environment.conflicts.map((c) => [c.name, c.entries])).toEqual([
      ['python', [{ file: 'MLmodel', spec: '3.12.3' }, { file: 'conda.yaml', spec: '3.11' }, { file: 'python_env.yaml', spec: '3.12.3' }]],
      ['mlflow', [{ file: 'conda.yaml', spec: '==2.4' }, { file: 'requirements.txt', spec: '<3' }]],
    ]);
    expect(r.problems).toEqual([]);
  });

  it('invalid requirement lines are problems naming file and line', async () => {
    const dir = await makeDir({ MLmodel: GOOD_MLMODEL, 'requirements.txt': 'mlflow\nthis is wrong\n--not-an-option\n' });
    const r = await inspectOk(dir);
    expect(r.problems.filter((p) => p.file === 'requirements.txt').map((p) => p.message)).toEqual([
      expect.stringMatching(/^requirements\.txt line 2: "this is wrong" is not valid pip syntax/),
      expect.stringMatching(/^requirements\.txt line 3: "--not-an-option" is not valid pip syntax \(unknown pip option --not-an-option\)/),
    ]);
    expect(r.environment.dependencies.map((d) => d.name)).toEqual(['mlflow']);
  });
  // Found by opening hostile folders in the app: 500 000 requirement lines crashed `inspect` ("Maximum call stack size
  // exceeded": the rows were appended with push(...rows)); with that fixed, the report held 500 000 rows, took 35 s to
  // open and crashed the Environment tab. conda.yaml with many `pip:` lists parsed the whole file again per list.
  it('a requirements.txt of 500 000 lines: the first MAX_DEPENDENCIES are read, a problem says why, nothing crashes', async () => {
    const lines = Array.from({ length: 500_000 }, (_, i) => `pkg${i}==1.0.${i}`);
    const dir = await makeDir({ MLmodel: GOOD_MLMODEL, 'requirements.txt': `${lines.join('\n')}\n`, 'constraints.txt': 'numpy<2\n' });
    const r = await inspectOk(dir);
    expect(r.environment.dependencies).toHaveLength(MAX_DEPENDENCIES);
    expect(r.environment.dependencies.at(-1)).toMatchObject({ name: `pkg${MAX_DEPENDENCIES - 1}`, file: 'requirements.txt', line: MAX_DEPENDENCIES });
    const cut = r.problems.filter((p) => p.code === 'E_TOO_MANY_FILES');
    expect(cut.map((p) => p.file)).toEqual(['requirements.txt', 'constraints.txt']);
    expect(cut[0]!.message).toMatch(/^requirements\.txt has more entries than Preflight reads \(5,000 dependencies over all the environment files\): the rest are not read or checked\./);
  });

  it('a conda.yaml of 1 500 pip lists and 6 000 packages (under the YAML entry cap): read once, up to the cap, each row on its line', async () => {
    const conda = ['dependencies:', ...Array.from({ length: 1_500 }, (_, i) => `- pip:\n  - p${i}==1`), ...Array.from({ length: 6_000 }, (_, i) => `- c${i}=1.${i}`)].join('\n');
    const dir = await makeDir({ MLmodel: GOOD_MLMODEL, 'conda.yaml': `${conda}\n` });
    const r = await inspectOk(dir);
    const deps = r.environment.dependencies;
    expect(deps).toHaveLength(MAX_DEPENDENCIES);
    expect(deps[1_499]).toMatchObject({ name: 'p1499', installer: 'pip', line: 3_001 });
    expect(deps[1_500]).toMatchObject({ name: 'c0', installer: 'conda', line: 3_002 });
    expect(deps.at(-1)).toMatchObject({ name: `c${MAX_DEPENDENCIES - 1_501}` });
    expect(r.problems.filter((p) => p.code === 'E_TOO_MANY_FILES').map((p) => p.file)).toEqual(['conda.yaml']);
  });
});
