/** The playground's "Copy as curl" run by a real shell against a real HTTP server: the body arrives byte for byte. */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { snippetFor } from '../../src/renderer/src/features/playground/store/snippets';

const run = promisify(execFile);
const got: { body: string; auth: string | undefined; deployment: string | undefined }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    got.push({ body, auth: req.headers.authorization, deployment: req.headers['azureml-model-deployment'] as string | undefined });
    res.end('[1]');
  });
});
let url: string;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/score`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('curl from "Copy as" sends the exact body, the key from the environment variable it names', async () => {
  const body = `{"input_data": {"columns": ["it's", "a \\"b\\""], "data": [["$HOME", 1.0]]}}`;
  const s = snippetFor('curl', { url, headers: { 'content-type': 'application/json', authorization: '<hidden: 12 characters>', 'azureml-model-deployment': 'blue' }, body });
  const out = await run('sh', ['-c', s.text], { env: { ...process.env, PREFLIGHT_AUTHORIZATION: 'Bearer k-123' } });
  expect(out.stdout).toBe('[1]');
  expect(got[0]).toEqual({ body, auth: 'Bearer k-123', deployment: 'blue' });
});
