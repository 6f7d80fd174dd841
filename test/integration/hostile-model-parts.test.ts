/**
 * Hostile model folders, round 2, through the real ModelService (what `inspect` and the Models screen show):
 * - the onnx flavor's model.onnx that is a folder, a FIFO, a looping link or garbage bytes must make the verdict
 *   Not ready (it used to be listed as unreadable under a "Ready" headline); a folder stays a fine `data` target
 *   for other flavors; a FIFO is reported once, not twice;
 * - keys written twice in MLmodel / python_env.yaml / conda.yaml: the last one is used (as PyYAML reads it) and an
 *   info finding names the key and both lines.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readinessVerdict } from '../../src/shared/mlflow/report-verdict';
import { ModelService } from '../../src/main/services/model/model-service';
import { sampleModelDir } from '../support/paths';

let dir: string;
const models = new ModelService();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-hostile-parts-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the sample ONNX model with `model.onnx` replaced by `make(path)`. */
function sampleWith(name: string, make: (modelOnnx: string) => void): string {
  const folder = join(dir, name);
  cpSync(sampleModelDir, folder, { recursive: true });
  rmSync(join(folder, 'model.onnx'));
  make(join(folder, 'model.onnx'));
  return folder;
}

describe('the onnx flavor\'s model.onnx that cannot be read', () => {
  const cases: [string, (p: string) => void, RegExp][] = [
    ['a folder', (p) => mkdirSync(p), /is a folder/],
    ['a FIFO', (p) => spawnSync('mkfifo', [p]), /not a regular file/],
    ['a link to itself', (p) => symlinkSync('model.onnx', p), /symlink loop/],
    ['garbage bytes', (p) => writeFileSync(p, readFileSync(join(sampleModelDir, 'model.onnx')).subarray(0, 300)), /not a valid ONNX model/],
  ];
  for (const [what, make, message] of cases) {
    it(`model.onnx that is ${what}: Not ready, with an error naming model.onnx and what is wrong`, async () => {
      const report = await models.inspect(sampleWith(what.replace(/\W+/g, '-'), make));
      const verdict = readinessVerdict(report);
      expect(verdict.ready, verdict.headline).toBe(false);
      expect(verdict.headline).toContain('`model.onnx`');
      const f = report.findings.find((x) => x.code === 'onnx-model-file-unreadable');
      expect(f?.severity).toBe('error');
      expect(f?.file).toBe('model.onnx');
      expect(f?.evidence).toMatch(message);
      // Said once: the walk's "not a regular file" and the ONNX reader's own refusal were two problems for a FIFO.
      expect(report.problems.filter((p) => p.file === 'model.onnx')).toHaveLength(1);
    });
  }

  it('the sample model itself is still Ready', async () => {
    expect(readinessVerdict(await models.inspect(sampleModelDir)).ready).toBe(true);
  });

  it('a folder named by another flavor\'s data (no onnx flavor) is no error', async () => {
    const folder = join(dir, 'pyfunc-data-folder');
    cpSync(sampleModelDir, folder, { recursive: true });
    const mlmodel = readFileSync(join(folder, 'MLmodel'), 'utf8')
      .replace(/ {2}onnx:\n( {4}.*\n)+/, '')
      .replace('    data: model.onnx\n    env:', '    data: weights\n    env:');
    writeFileSync(join(folder, 'MLmodel'), mlmodel);
    mkdirSync(join(folder, 'weights'));
    writeFileSync(join(folder, 'weights', 'w.bin'), 'x');
    const report = await models.inspect(folder);
    expect(report.mlmodel?.flavors.map((f) => f.name)).toEqual(['python_function']);
    expect(report.findings.filter((f) => f.file === 'weights' || /weights/.test(f.title))).toEqual([]);
    expect(report.findings.some((f) => f.code === 'onnx-model-file-unreadable')).toBe(false);
  });
});

describe('keys written twice in the model\'s YAML files', () => {
  it('MLmodel, python_env.yaml, conda.yaml: the last value is used and an info finding names the key and both lines', async () => {
    const folder = join(dir, 'duplicate-keys');
    cpSync(sampleModelDir, folder, { recursive: true });
    const mlmodel = readFileSync(join(folder, 'MLmodel'), 'utf8');
    const withDuplicates = `mlflow_version: 1.0.0\n${mlmodel.replace('    loader_module: mlflow.onnx\n', '    loader_module: mlflow.sklearn\n    loader_module: mlflow.onnx\n')}`;
    writeFileSync(join(folder, 'MLmodel'), withDuplicates);
    writeFileSync(join(folder, 'python_env.yaml'), 'python: 3.9\npython: 3.11.9\nbuild_dependencies:\n- pip\ndependencies:\n- -r requirements.txt\n');
    const conda = readFileSync(join(folder, 'conda.yaml'), 'utf8');
    writeFileSync(join(folder, 'conda.yaml'), `name: first\n${conda.replace(/^name: .*\n/m, '')}name: mlflow-env\n`);
    // What PyYAML keeps, from the same files: the model means what MLflow reads.
    const py = spawnSync('/usr/bin/python3', ['-c', 'import yaml,sys; d=yaml.safe_load(open(sys.argv[1])); print(d["mlflow_version"], d["flavors"]["python_function"]["loader_module"])', join(folder, 'MLmodel')], { encoding: 'utf8' });
    expect(py.stdout.trim()).toBe(`${mlmodel.match(/^mlflow_version: (.*)$/m)![1]} mlflow.onnx`);

    const report = await models.inspect(folder);
    expect(`${report.mlmodel?.mlflowVersion} ${report.mlmodel?.loaderModule}`).toBe(py.stdout.trim());
    expect(report.environment.files.find((f) => f.kind === 'python_env')?.python).toBe('3.11.9');
    const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.startsWith(needle)) + 1;
    const dups = report.findings.filter((f) => f.code === 'yaml-duplicate-key');
    expect(dups.every((f) => f.severity === 'info')).toBe(true);
    const titles = dups.map((f) => f.title);
    expect(titles).toContain('`MLmodel` gives `mlflow_version` twice: the last one wins, as MLflow reads it');
    expect(titles).toContain('`MLmodel` gives `flavors.python_function.loader_module` twice: the last one wins, as MLflow reads it');
    expect(titles).toContain('`python_env.yaml` gives `python` twice: the last one wins, as MLflow reads it');
    expect(titles).toContain('`conda.yaml` gives `name` twice: the last one wins, as MLflow reads it');
    const loader = dups.find((f) => f.title.includes('loader_module'))!;
    const first = lineOf(withDuplicates, '    loader_module: mlflow.sklearn');
    expect(loader.evidence).toContain(`line ${first} and line ${first + 1}`);
    expect(readinessVerdict(report).ready).toBe(true);
  });
});

describe('an MLmodel with a signature of 100 000 columns', () => {
  it('opens with every column: the 5.6 MB that PyYAML wraps over 75 000 lines is one single-quoted value, which the parser reads fast', async () => {
    const folder = join(dir, 'wide');
    cpSync(sampleModelDir, folder, { recursive: true });
    // Written as MLflow writes it: PyYAML's safe_dump of the signature's JSON string (5.6 MB, wrapped at 80 columns).
    const py = spawnSync('/usr/bin/python3', ['-c', 'import sys, json, yaml\nd = yaml.safe_load(open(sys.argv[1]))\nd["signature"]["inputs"] = json.dumps([{"type": "double", "name": f"c{i}", "required": True} for i in range(100000)])\nopen(sys.argv[1], "w").write(yaml.safe_dump(d, default_flow_style=False))', join(folder, 'MLmodel')]);
    expect(py.status, String(py.stderr)).toBe(0);
    expect(readFileSync(join(folder, 'MLmodel')).length).toBeGreaterThan(5_000_000);
    const report = await models.inspect(folder);
    const inputs = report.signature?.inputs;
    expect(inputs?.kind).toBe('columns');
    const columns = inputs?.kind === 'columns' ? inputs.columns : [];
    expect(columns.length).toBe(100_000);
    expect(columns[99_999]).toMatchObject({ name: 'c99999', required: true });
  }, 60_000);

  it('one 15 MB double-quoted value (28 s and 1.1 GB of the YAML parser) is still refused at once, naming the value and its line', async () => {
    const folder = join(dir, 'double-quoted');
    cpSync(sampleModelDir, folder, { recursive: true });
    writeFileSync(join(folder, 'MLmodel'), `flavors:\n  python_function:\n    loader_module: mlflow.onnx\nmetadata:\n  a: "${'x'.repeat(15_000_000)}"\n`);
    const t0 = performance.now();
    const err = await models.inspect(folder).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(err).toMatchObject({
      code: 'E_INVALID_FILE',
      message: expect.stringMatching(/^MLmodel has a double-quoted value of more than 1,99\d,\d{3} characters \(opening on line 5\); Preflight reads up to about 2,000,000 characters of double-quoted text .*save the model again with MLflow/),
    });
  }, 30_000);

  it('a file past the size cap is refused by its size, with what makes an MLmodel big', async () => {
    const folder = join(dir, 'huge');
    cpSync(sampleModelDir, folder, { recursive: true });
    writeFileSync(join(folder, 'MLmodel'), `flavors:\n  python_function:\n    loader_module: mlflow.onnx\nmetadata:\n  a: '${'x'.repeat(17 * 2 ** 20)}'\n`);
    const err = await models.inspect(folder).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/^MLmodel is 17\.\d MiB, more than the 16\.0 MiB Preflight reads for this kind of file\. MLflow writes a few kB, plus about 60 bytes per signature column: .*hundreds of thousands of columns/);
    expect(err?.message).not.toContain('Check that it is the right file.');
  }, 30_000);
});
