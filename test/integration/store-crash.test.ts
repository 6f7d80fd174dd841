import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppStore, STORE_FILE_NAME, StoreFileSchema } from '../../src/main/services/store/app-store';
import { silentLogger } from '../../src/main/ports/logger';
import { repoRoot } from '../support/paths';

/**
 * "Never lost on crash": a real process hammers the store with writes and is killed with SIGKILL at
 * arbitrary moments; every time, the file on disk must still parse as a complete store.
 */
let tmp: string;
let writer: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-store-crash-'));
  const source = join(tmp, 'writer.ts');
  await writeFile(
    source,
    `import { mkdirSync } from 'node:fs';
     import { join } from 'node:path';
     import { AppStore } from ${JSON.stringify(join(repoRoot, 'src/main/services/store/app-store.ts'))};
     const dir = process.argv[2];
     const store = await AppStore.open(dir, { info() {}, warn() {}, error() {} });
     process.stdout.write('ready\\n');
     for (let i = 0; ; i++) {
       const model = join(dir, 'models', 'm' + (i % 30));
       mkdirSync(model, { recursive: true });
       await store.addRecent({ path: model, name: 'model ' + i + ' ' + 'x'.repeat(i % 500) });
       await store.setSetting('counter', i);
     }`,
  );
  writer = join(tmp, 'writer.mjs');
  await build({ entryPoints: [source], outfile: writer, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent', absWorkingDir: repoRoot });
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function runAndKill(dir: string, afterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), afterMs));
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer ended on its own: ${stderr}`))));
  });
}

describe('AppStore crash safety', () => {
  it('the file is always complete after SIGKILL mid-write, and the store reopens without losing it', async () => {
    const dir = join(tmp, 'data');
    // The first run lives long enough to write the file at all; later ones die at assorted moments.
    for (const ms of [400, 45, 90, 150, 220]) {
      await runAndKill(dir, ms);
      const text = await readFile(join(dir, STORE_FILE_NAME), 'utf8');
      const parsed = StoreFileSchema.parse(JSON.parse(text));
      expect(parsed.recent.length).toBeGreaterThan(0);
      expect(parsed.recent.length).toBeLessThanOrEqual(20);
      const reopened = await AppStore.open(dir, silentLogger);
      expect(reopened.recent()).toEqual(parsed.recent);
    }
    // No corrupt-file backup was ever needed.
    expect((await readdir(dir)).filter((n) => n.endsWith('.bak'))).toEqual([]);
  });
});
