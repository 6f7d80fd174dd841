import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armScope, loadCloudFile } from './cloud';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-cloud-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cloudFile(content: string): Promise<string> {
  const f = join(dir, `${Math.random()}.json`);
  await writeFile(f, content);
  return f;
}

describe('cloud file (--cloud / PREFLIGHT_AZURE_CLOUD)', () => {
  it('reads the documented fields, resolves caFile beside the file and derives the ARM scope', async () => {
    const f = await cloudFile(JSON.stringify({ name: 'Sov', armEndpoint: 'https://management.example.net/', authorityHost: 'https://login.example.net', scoringScope: 'https://ml.example.net/.default', caFile: 'ca.pem' }));
    const cloud = await loadCloudFile(f);
    expect(cloud).toEqual({ name: 'Sov', armEndpoint: 'https://management.example.net', authorityHost: 'https://login.example.net', scoringScope: 'https://ml.example.net/.default', caFile: join(dir, 'ca.pem') });
    expect(armScope(cloud)).toBe('https://management.example.net/.default');
  });

  it('names the bad field, and refuses http endpoints and unknown fields', async () => {
    await expect(loadCloudFile(await cloudFile(JSON.stringify({ name: 'x', armEndpoint: 'http://127.0.0.1:1', authorityHost: 'https://a', scoringScope: 's' })))).rejects.toThrow(/invalid at armEndpoint: must be an https:\/\/ URL/);
    await expect(loadCloudFile(await cloudFile(JSON.stringify({ name: 'x', armEndpoint: 'https://a', authorityHost: 'https://a', scoringScope: 's', extra: 1 })))).rejects.toThrow(/invalid at \(root\)/);
    await expect(loadCloudFile(await cloudFile('{nope'))).rejects.toThrow(/is not JSON/);
    await expect(loadCloudFile(join(dir, 'missing.json'))).rejects.toThrow(/Cannot read the cloud file .*ENOENT/);
  });
});
