/**
 * The corrupted-file corpus through the built CLI, as a user runs it (issue 12 "Done when"): parquet and CSV
 * inputs through `preflight batch`, a corrupted MLmodel through `inspect`, a corrupted model.onnx through
 * `predict`. Each is a separate process, so a crash is a crash here (a dead process, a stack dump), not an error
 * a test could catch. Every run must end within 10 s with one of the documented exit codes and, when it fails,
 * a message that names the file and is not an internal error; a batch job that "succeeds" must have scored every
 * row its summary counts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corruptCorpus } from '../support/corrupt-files';
import { repoRoot, sampleModelDir } from '../support/paths';
import { diabetesCsv, diabetesParquet } from '../support/valid-files';

const CASES = 6;
const DEADLINE_MS = 10_000;
/** 0 ok · 1 invalid (a failed job, a model with error findings, a refused request) · 3 environment (unreadable file). */
const EXIT_CODES = [0, 1, 3];

const outDir = join(repoRoot, 'out', `test-hostile-cli-${process.pid}`);
let dir: string;

beforeAll(() => {
  const build = spawnSync(process.execPath, ['scripts/build-node.mjs', '--only', 'cli,onnx-worker,file-worker,prepare-worker', '--out-dir', outDir], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build-node failed:\n${build.stdout}\n${build.stderr}`);
  dir = mkdtempSync(join(tmpdir(), 'preflight-hostile-cli-'));
}, 120_000);
afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the CLI; a run past the deadline is killed and reported as such (code null). */
function cli(args: string[]): Promise<Run> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(outDir, 'cli.js'), ...args], {
      cwd: dir,
      env: { ...process.env, PREFLIGHT_USER_DATA: join(dir, 'user-data'), PREFLIGHT_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), DEADLINE_MS + 2_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

/** What every run must be: in time, a documented exit code, no crash, no internal error, no stack dump. */
function expectClean(r: Run, what: string): void {
  expect(r.signal, `${what} was killed (${r.signal}) after ${Math.round(r.ms)} ms`).toBeNull();
  expect(r.ms, what).toBeLessThan(DEADLINE_MS);
  expect(EXIT_CODES, `${what}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
  expect(r.stderr + r.stdout, what).not.toMatch(/internal error|This is a bug in Preflight|\n\s+at .+:\d+:\d+\)?\n/);
}

describe('corrupted batch inputs through `preflight batch`', () => {
  for (const format of ['parquet', 'csv'] as const) {
    it(`${format}: every job fails naming the file with a summary.json, or scores every row it counts`, async () => {
      const valid = format === 'parquet' ? diabetesParquet(90) : new TextEncoder().encode(diabetesCsv(90));
      let failed = 0;
      for (const c of corruptCorpus(valid, CASES, format === 'parquet' ? 71_000 : 72_000)) {
        const name = `in-${c.seed}.${format}`;
        writeFileSync(join(dir, name), c.bytes);
        const out = join(dir, `out-${format}-${c.seed}`);
        const r = await cli(['batch', sampleModelDir, join(dir, name), '--out', out, '--json']);
        const what = `batch of ${name}`;
        expectClean(r, what);
        expect(existsSync(join(out, 'summary.json')), what).toBe(true);
        const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { status: string; rows: number; error: { message: string; file: string | null } | null };
        if (r.code === 0) {
          expect(summary.status).toBe('succeeded');
          const lines = readFileSync(join(out, 'predictions.csv'), 'utf8').trimEnd().split('\n');
          expect(lines.length - 1, `${what}: predictions.csv holds every row the summary counts`).toBe(summary.rows);
        } else {
          failed++;
          expect(summary.status, what).toBe('failed');
          expect(summary.error?.message, what).toContain(name);
          expect(r.stderr, what).toContain(name);
          expect(existsSync(join(out, 'predictions.csv')), `${what}: no predictions file after a failure`).toBe(false);
        }
      }
      expect(failed, 'most corrupted files are refused').toBeGreaterThan(0);
    }, 120_000);
  }
});

describe('corrupted model files through `inspect` and `predict`', () => {
  it('MLmodel: inspect reports the problem naming MLmodel, or exits 3 saying what is wrong with it', async () => {
    const valid = readFileSync(join(sampleModelDir, 'MLmodel'));
    for (const c of corruptCorpus(valid, CASES, 73_000)) {
      const folder = join(dir, `mlmodel-${c.seed}`);
      mkdirSync(folder);
      cpSync(sampleModelDir, folder, { recursive: true });
      writeFileSync(join(folder, 'MLmodel'), c.bytes);
      const r = await cli(['inspect', folder, '--json']);
      const what = `inspect with MLmodel seed ${c.seed}`;
      expectClean(r, what);
      if (r.code === 3) expect(r.stderr, what).toContain('MLmodel');
      else JSON.parse(r.stdout);
    }
  }, 120_000);

  it('model.onnx: predict answers, or fails with a message naming the model, and the next run works', async () => {
    const valid = readFileSync(join(sampleModelDir, 'model.onnx'));
    const body = join(sampleModelDir, 'serving_input_example.json');
    for (const c of corruptCorpus(valid, CASES, 74_000)) {
      const folder = join(dir, `onnx-${c.seed}`);
      mkdirSync(folder);
      cpSync(sampleModelDir, folder, { recursive: true });
      writeFileSync(join(folder, 'model.onnx'), c.bytes);
      const r = await cli(['predict', folder, body, '--server', 'mlflow', '--json']);
      const what = `predict with model.onnx seed ${c.seed}`;
      expectClean(r, what);
      if (r.code === 3) expect(r.stderr, what).toMatch(/model\.onnx|MLmodel/);
    }
    const ok = await cli(['predict', sampleModelDir, body, '--server', 'mlflow', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
  }, 120_000);
});

describe('escape sequences planted in a model folder, printed on a terminal', () => {
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

  // util-linux `script` runs the CLI on a pseudo-terminal, as a user's shell would.
  it.skipIf(!hasScript)('inspect shows them as visible escapes instead of clearing the screen or writing the clipboard', () => {
    const folder = join(dir, 'ansi');
    cpSync(sampleModelDir, folder, { recursive: true });
    const mlmodel = readFileSync(join(folder, 'MLmodel'), 'utf8');
    const planted = '"\\e]52;c;cHduZWQ=\\a\\e[2J\\e[HReady: nothing to see"';
    writeFileSync(join(folder, 'MLmodel'), mlmodel.replace(/^run_id: .*$/m, `run_id: ${planted}`));
    const command = [process.execPath, join(outDir, 'cli.js'), 'inspect', folder].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: DEADLINE_MS,
      env: { ...process.env, PREFLIGHT_USER_DATA: join(dir, 'user-data'), PREFLIGHT_DEBUG: '' },
    });
    expect(r.stdout).toContain('run_id');
    expect(r.stdout).not.toContain('\u001b]52');
    expect(r.stdout).not.toContain('\u001b[2J');
    expect(r.stdout).toContain('\\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x1b[HReady: nothing to see');
  });
});

describe('line breaks planted in a model folder', () => {
  // A folder name or an MLmodel value with a line break used to start a line of the report's own: a fake verdict under
  // the real one. Piped or not, each line of the text report is the report's.
  it('inspect shows them as a visible \\n, so no line of the report comes from the folder', () => {
    const folder = join(dir, 'model\nReady: no findings');
    cpSync(sampleModelDir, folder, { recursive: true });
    const mlmodel = readFileSync(join(folder, 'MLmodel'), 'utf8');
    writeFileSync(join(folder, 'MLmodel'), mlmodel.replace(/^run_id: .*$/m, 'run_id: "abc\\n[ERROR] planted finding (none)"'));
    const r = spawnSync(process.execPath, [join(outDir, 'cli.js'), 'inspect', folder], {
      cwd: dir,
      encoding: 'utf8',
      timeout: DEADLINE_MS,
      env: { ...process.env, PREFLIGHT_USER_DATA: join(dir, 'user-data'), PREFLIGHT_DEBUG: '' },
    });
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('Ready: no findings') || l.startsWith('[ERROR] planted'))).toEqual([]);
    expect(r.stdout).toContain('model\\nReady: no findings');
    expect(r.stdout).toContain('abc ⏎ [ERROR] planted finding (none)'); // MLmodel values were already shown on one line
  });
});

describe('a request body that never arrives', () => {
  // A FIFO nobody writes to (a body path that is a named pipe, e.g. a leftover of `mkfifo`): reading it waits for a
  // writer. Ctrl+C (SIGINT) must stop the command at once — it used to be ignored until a second Ctrl+C.
  it('predict on a FIFO whose writer sends nothing stops on the first SIGINT with exit 130 and "cancelled"', async () => {
    const fifo = join(dir, 'body.fifo');
    spawnSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [join(outDir, 'cli.js'), 'predict', sampleModelDir, fifo], {
      cwd: dir,
      env: { ...process.env, PREFLIGHT_USER_DATA: join(dir, 'user-data'), PREFLIGHT_DEBUG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    // Opening the write end returns once the CLI has opened the read end: it is then waiting for bytes that never come.
    const writer = await open(fifo, 'w');
    const t0 = performance.now();
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    const code = await exited;
    clearTimeout(timer);
    await writer.close();
    expect(code, stderr).toBe(130);
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(stderr).toContain('preflight: cancelled');
  }, 20_000);
});

describe('a request body that is a terminal', () => {
  // A terminal nobody types into (a pty's /dev/pts/N, /dev/tty, /dev/stdin on a terminal) was read in libuv's thread
  // pool: Ctrl+C was not heard and the process never exited. It is refused up front, naming the file and what to give.
  it('predict on a pty path fails at once with exit 3, saying it is a terminal and to give a file or -', () => {
    const script = [
      'import os, subprocess, sys, time',
      'm, s = os.openpty()',
      'p = subprocess.run(sys.argv[1:] + [os.ttyname(s)], capture_output=True, text=True, timeout=8)',
      'sys.stdout.write(str(p.returncode) + "\\n" + p.stderr)',
    ].join('\n');
    const r = spawnSync('/usr/bin/python3', ['-c', script, process.execPath, join(outDir, 'cli.js'), 'predict', sampleModelDir], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 10_000,
      env: { ...process.env, PREFLIGHT_USER_DATA: join(dir, 'user-data'), PREFLIGHT_DEBUG: '' },
    });
    const [code, ...rest] = r.stdout.split('\n');
    expect(code, r.stdout + r.stderr).toBe('3');
    expect(rest.join('\n')).toMatch(/Request body file \/dev\/pts\/\d+ is a character device \(a terminal or \/dev\/…\), not a file\. .*or - to read the body from stdin/);
  }, 20_000);
});

describe('a request body holding one huge string', () => {
  // Python's exception text quotes the whole value: a 3 MB string made a 3 MB "server log:" line on the terminal.
  // The log line is cut with a "… (N more characters)" marker; the answer body stays byte for byte MLflow's.
  const huge = 'x'.repeat(3_000_000);
  const bodyOf = (envelope: string): string =>
    JSON.stringify({ [envelope]: { columns: ['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6'], data: [[huge, 0, 0, 0, 0, 0, 0, 0, 0, 0]] } });

  it('Azure: the server log line is cut with the count of what was left out', async () => {
    writeFileSync(join(dir, 'huge-azure.json'), bodyOf('input_data'));
    const r = await cli(['predict', sampleModelDir, 'huge-azure.json']);
    expectClean(r, 'predict huge string (azureml)');
    const log = r.stderr.split('\n').find((l) => l.startsWith('server log: '));
    expect(log, r.stderr.slice(0, 500)).toBeDefined();
    expect(log!).toMatch(/^server log: .*could not convert string to float: 'x+… \(\d+ more characters\)$/);
    expect(r.stderr.length).toBeLessThan(10_000);
  }, 30_000);

  it('MLflow: the answer body (which quotes the value) is printed whole, the same bytes as --json\'s body_text', async () => {
    writeFileSync(join(dir, 'huge-mlflow.json'), bodyOf('dataframe_split'));
    const text = await cli(['predict', sampleModelDir, 'huge-mlflow.json', '--server', 'mlflow']);
    const json = await cli(['predict', sampleModelDir, 'huge-mlflow.json', '--server', 'mlflow', '--json']);
    expectClean(text, 'predict huge string (mlflow)');
    const bodyText = (JSON.parse(json.stdout) as { body_text: string }).body_text;
    expect(bodyText).toContain(`'${huge}'`);
    expect(text.stdout.slice(text.stdout.indexOf('\n') + 1)).toBe(`${bodyText}\n`);
  }, 30_000);
});
