/**
 * `preflight batch` as a user runs it (through `runCli`, the real command, real files): the one-line
 * summary, `--json`, exit codes 0 / 1 / 2 / 3.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/main/cli/command';
import { runCli } from '../../src/main/cli/run';
import { silentLogger } from '../../src/main/ports/logger';
import { bundleOnnxWorker } from '../support/worker-bundle';
import { sampleModelDir } from '../support/paths';

let tmp: string;
let worker: string;
const HEADER = 'age,sex,bmi,bp,s1,s2,s3,s4,s5,s6';

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'preflight-batch-cli-'));
  worker = await bundleOnnxWorker(join(tmp, 'onnx-worker.js'));
  writeFileSync(join(tmp, 'in.csv'), `${HEADER}\n${Array.from({ length: 12 }, (_, k) => Array.from({ length: 10 }, (_, c) => ((k * 10 + c) % 7) / 100 - 0.03).join(',')).join('\n')}\n`);
  writeFileSync(join(tmp, 'bad.avro'), 'x');
}, 60_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { ...process.env, PREFLIGHT_ONNX_WORKER: worker, PREFLIGHT_USER_DATA: join(tmp, 'user-data') },
    cwd: tmp,
    signal: new AbortController().signal,
    log: silentLogger,
  };
  return { code: await runCli(argv, io), stdout, stderr };
}

describe('preflight batch', () => {
  it('prints a one-line summary and writes predictions.csv, exit 0', async () => {
    const r = await cli('batch', sampleModelDir, 'in.csv', '--out', 'out1', '--chunk-rows', '5');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`succeeded: 12 rows from 1/1 file in ${/in (\d+\.\d) s/.exec(r.stdout)![1]} s → ${join(tmp, 'out1', 'predictions.csv')}\n`);
    const lines = readFileSync(join(tmp, 'out1', 'predictions.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('row,prediction,file_name');
    expect(lines).toHaveLength(13);
    expect(lines[12]).toMatch(/^11,-?\d+\.\d+,in\.csv$/);
  }, 60_000);

  it('--json prints the summary object', async () => {
    const r = await cli('batch', sampleModelDir, 'in.csv', '--out', 'out2', '--json', '--output-action', 'summary_only');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ status: 'succeeded', rows: 12, predictionsPath: null, outputAction: 'summary_only', files: [{ file: 'in.csv', rows: 12 }] });
    expect(existsSync(join(tmp, 'out2', 'predictions.csv'))).toBe(false);
  }, 60_000);

  it('a failed job exits 1 with Azure\'s message on stderr', async () => {
    const r = await cli('batch', sampleModelDir, 'bad.avro', '--out', 'out3');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^failed: 0 rows/);
    expect(r.stderr).toContain("File type 'avro' is not supported");
  });

  it('usage errors exit 2; a missing input exits 3', async () => {
    expect((await cli('batch', sampleModelDir, 'in.csv')).code).toBe(2);
    expect((await cli('batch', sampleModelDir, 'in.csv', '--out', 'o', '--chunk-rows', 'many')).code).toBe(2);
    expect((await cli('batch', sampleModelDir, 'in.csv', '--out', 'o', '--output-action', 'append')).code).toBe(2);
    const missing = await cli('batch', sampleModelDir, 'nope.csv', '--out', 'o');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`Batch input not found: ${join(tmp, 'nope.csv')}`);
  }, 60_000);
});
