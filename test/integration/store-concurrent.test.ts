import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_FILE_NAME, StoreFileSchema } from '../../src/main/services/store/app-store';
import { repoRoot } from '../support/paths';

/**
 * The app and `preflight open` share one store file. Two real processes add recent models and settings
 * at the same time; every entry either of them added must be in the file afterwards.
 */
let tmp: string;
let writer: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'preflight-store-concurrent-'));
  const source = join(tmp, 'writer.ts');
  await writeFile(
    source,
    `import { mkdirSync } from 'node:fs';
     import { join } from 'node:path';
     import { AppStore } from ${JSON.stringify(join(repoRoot, 'src/main/services/store/app-store.ts'))};
     const [dir, who, count] = process.argv.slice(2);
     const store = await AppStore.open(dir, { info() {}, warn() {}, error() {} }, { maxRecent: 1000 });
     for (let i = 0; i < Number(count); i++) {
       const model = join(dir, 'models', who + '-' + i);
       mkdirSync(model, { recursive: true });
       await store.addRecent({ path: model, name: who + ' ' + i });
       await store.setSetting(who + '.' + i, i);
     }`,
  );
  writer = join(tmp, 'writer.mjs');
  await build({ entryPoints: [source], outfile: writer, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent', absWorkingDir: repoRoot });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function run(dir: string, who: string, count: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [writer, dir, who, String(count)], { stdio: ['ignore', 'ignore', 'inherit'] });
    p.on('error', reject);
    p.on('exit', (code) => resolve(code));
  });
}

describe('AppStore shared by two processes', () => {
  it('keeps every entry both processes added while writing at the same time', async () => {
    const dir = join(tmp, 'data');
    const N = 60;
    expect(await Promise.all([run(dir, 'a', N), run(dir, 'b', N)])).toEqual([0, 0]);
    const store = StoreFileSchema.parse(JSON.parse(await readFile(join(dir, STORE_FILE_NAME), 'utf8')));
    const names = new Set(store.recent.map((r) => r.name));
    const missing = ['a', 'b'].flatMap((w) => Array.from({ length: N }, (_, i) => `${w} ${i}`)).filter((n) => !names.has(n));
    expect(missing).toEqual([]);
    expect(Object.keys(store.settings).length).toBe(2 * N);
  }, 60_000);
});
