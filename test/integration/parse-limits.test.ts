/**
 * Work is bounded by columns, cells and YAML entries, not only bytes (issue 12 item 4): a CSV body with a
 * very wide header, or a 4 MB MLmodel of repeated keys, is a clear error at once — naming the limit and
 * how to change it — instead of gigabytes of memory and seconds of a blocked event loop.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ModelService } from '../../src/main/services/model/model-service';
import { PayloadService } from '../../src/main/services/payload/payload-service';
import { configureCsvLimits, configureCsvLimitsFromEnv, DEFAULT_CSV_LIMITS } from '../../src/shared/mlflow/payload/limits';
import { sampleModelDir } from '../support/paths';
import { wideMlmodel } from '../support/wide-mlmodel';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'preflight-limits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => configureCsvLimits(DEFAULT_CSV_LIMITS));

/** Peak heap growth while `fn` runs, sampled every 5 ms (a blocked loop samples nothing; the final reading still counts). */
async function heapGrowthMb<T>(fn: () => Promise<T>): Promise<{ value: T | Error; mb: number }> {
  global.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  let value: T | Error;
  try {
    value = await fn();
  } catch (err) {
    value = err as Error;
  }
  clearInterval(t);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { value, mb: (peak - base) / 2 ** 20 };
}

describe('CSV bodies', () => {
  const service = new PayloadService(new ModelService());

  it('a 20 MB body whose header has ten million columns is refused at the column limit, with little memory', async () => {
    const body = `${'c,'.repeat(10_000_000)}c\n1\n`;
    const { value, mb } = await heapGrowthMb(() => service.validate({ modelPath: sampleModelDir, body, server: 'mlflow', contentType: 'text/csv' }));
    expect(value).toMatchObject({
      code: 'E_INVALID_INPUT',
      message: 'Preflight did not parse this CSV: line 1 of the CSV has more than 10,000 columns. Preflight limits CSV text to 10,000 columns and 5,000,000 fields so that a body cannot exhaust memory. Send fewer rows or columns (for batch jobs, lower --chunk-rows), or raise the limit with the environment variable PREFLIGHT_CSV_MAX_COLUMNS.',
    });
    expect(mb).toBeLessThan(200);
  }, 60_000);

  it('a body of many narrow rows is refused at the cell limit', async () => {
    const row = Array.from({ length: 10 }, () => '0.01').join(',');
    const body = `${'age,sex,bmi,bp,s1,s2,s3,s4,s5,s6'}\n${`${row}\n`.repeat(600_000)}`;
    await expect(service.validate({ modelPath: sampleModelDir, body, server: 'mlflow', contentType: 'text/csv' })).rejects.toMatchObject({
      code: 'E_INVALID_INPUT',
      message: expect.stringMatching(/^Preflight did not parse this CSV: the CSV has more than 5,000,000 fields \(reached at line \d+\)\..*PREFLIGHT_CSV_MAX_CELLS\.$/),
    });
  }, 60_000);

  it('the limits come from the environment, and a body within them is answered as before', async () => {
    configureCsvLimitsFromEnv({ PREFLIGHT_CSV_MAX_COLUMNS: '5' });
    const body = 'age,sex,bmi,bp,s1,s2,s3,s4,s5,s6\n0.01,0.01,0.01,0.01,0.01,0.01,0.01,0.01,0.01,0.01\n';
    await expect(service.validate({ modelPath: sampleModelDir, body, server: 'mlflow', contentType: 'text/csv' })).rejects.toMatchObject({ message: expect.stringContaining('more than 5 columns') });
    configureCsvLimits(DEFAULT_CSV_LIMITS);
    const ok = await service.validate({ modelPath: sampleModelDir, body, server: 'mlflow', contentType: 'text/csv' });
    expect(ok).toMatchObject({ ok: true, status: 200 });
  }, 30_000);
});

describe('MLmodel', () => {
  it('a 4 MB MLmodel of repeated keys is a clear error at once, not a frozen app', async () => {
    const model = join(dir, 'repeated');
    mkdirSync(model);
    cpSync(sampleModelDir, model, { recursive: true });
    writeFileSync(join(model, 'MLmodel'), `flavors:\n  python_function:\n    loader_module: mlflow.onnx\n${'metadata_key: value\n'.repeat(200_000)}`.slice(0, 4 * 1024 * 1024 - 1));
    const t0 = performance.now();
    const err = await new ModelService().inspect(model).then(() => null, (e: unknown) => e);
    const ms = performance.now() - t0;
    expect(err).toMatchObject({
      code: 'E_INVALID_FILE',
      message: expect.stringMatching(/^MLmodel has more than 20,000 YAML entries .*Check the file for a repeated or generated block/),
    });
    expect(ms).toBeLessThan(3_000);
  }, 60_000);

  it('a 60 000-column model, whose MLmodel PyYAML wraps over 45 000 lines, opens with every column', async () => {
    const model = join(dir, 'wide');
    mkdirSync(model);
    cpSync(sampleModelDir, model, { recursive: true });
    const text = wideMlmodel(60_000);
    expect(text.split('\n').length).toBeGreaterThan(45_000);
    writeFileSync(join(model, 'MLmodel'), text);
    const report = await new ModelService().inspect(model);
    expect(report.signature?.inputs).toMatchObject({ kind: 'columns' });
    const inputs = report.signature?.inputs;
    expect(inputs?.kind === 'columns' ? inputs.columns.length : 0).toBe(60_000);
  }, 60_000);

  it('a quoted scalar of line breaks that are not indented under it is refused before the parser reads it (it took the parser 62 s)', async () => {
    const model = join(dir, 'escaped-breaks');
    mkdirSync(model);
    cpSync(sampleModelDir, model, { recursive: true });
    // an escaped line break continues a double-quoted scalar; unindented, each is the YAML parser's slow path
    writeFileSync(join(model, 'MLmodel'), `flavors:\n  python_function:\n    loader_module: mlflow.onnx\nmetadata:\n  a: "${'\\\n'.repeat(1_900_000)}"\n`);
    const err = await new ModelService().inspect(model).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_INVALID_FILE', message: expect.stringMatching(/^MLmodel has more than 20,000 YAML entries/) });
  }, 60_000);
});
