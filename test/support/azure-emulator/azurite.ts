/**
 * Real Azurite (npm `azurite`, blob service only, in memory) as the workspace's storage account, and a small
 * HTTP proxy in front of it. The workspace's default datastore points at the proxy, so the emulator can cut a
 * connection in the middle of an upload (a fault Azurite itself cannot produce) while every byte still lands
 * in, and is checked by, the real blob service.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FaultQueue } from './faults';

/** Azurite's fixed development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface RunningAzurite {
  /** Azurite itself, path-style: http://127.0.0.1:<port>/devstoreaccount1 */
  url: string;
  /** The proxy's host:port (what the datastore's `endpoint` names). */
  proxyHost: string;
  /** Bytes of block/blob uploads that went through the proxy (for "uploads nothing" checks). */
  uploadedBytes(): number;
  stop(): Promise<void>;
}

/** `location`: keep blobs in that folder instead of memory (big uploads: Azurite's memory store frees deleted blobs late). */
export async function startAzurite(faults: FaultQueue, location?: string): Promise<RunningAzurite> {
  const require = createRequire(import.meta.url);
  const main = join(dirname(require.resolve('azurite/package.json')), 'dist/src/blob/main.js');
  const storage = location ? ['--location', location] : ['--inMemoryPersistence', '--extentMemoryLimit', '4096'];
  const child: ChildProcess = spawn(process.execPath, [main, '--blobHost', '127.0.0.1', '--blobPort', '0', ...storage, '--skipApiVersionCheck', '--disableTelemetry', '--silent'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Azurite did not start in 30 s: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`Azurite exited (${code}) before listening: ${out}`)));
  });
  child.stdout!.resume();

  let uploaded = 0;
  const proxy: Server = createServer((req, res) => {
    const isUpload = req.method === 'PUT' && !/[?&]comp=(blocklist|metadata|properties)/.test(req.url ?? '') && !/restype=container/.test(req.url ?? '');
    const drop = isUpload && /[?&]comp=block(&|$)/.test(req.url ?? '') ? faults.take('dropUpload') : null;
    const upstream = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (drop && seen > 1024) {
        // The connection dies with part of the block sent: the client sees a reset, Azurite an aborted request.
        upstream.destroy();
        req.socket.destroy();
        return;
      }
      if (isUpload) uploaded += chunk.length;
      upstream.write(chunk);
    });
    req.on('end', () => upstream.end());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const proxyPort = (proxy.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`,
    proxyHost: `127.0.0.1:${proxyPort}`,
    uploadedBytes: () => uploaded,
    async stop() {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
