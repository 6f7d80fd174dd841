import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { resolve } from 'node:path';
import { repoRoot } from '../../support/paths';
import type { AzureEmulator } from '../../support/azure-emulator/emulator';
import { requireBuilt } from './app-paths';
import { terminate } from './browser-host';

/** The first stdout line of `npm run azure-emulator` (issue 8's stable shape). */
export type EmulatorInfo = Pick<AzureEmulator, 'cloudFile' | 'tenant' | 'clientId' | 'clientSecret' | 'subscription' | 'resourceGroup' | 'workspace'>;

export interface EmulatorProcess {
  info: EmulatorInfo;
  /** Queues a fault (faults.ts) through the emulator's control URL. */
  fault(fault: Record<string, unknown>, times?: number): Promise<void>;
  /** Every refresh token issued so far stops working (Entra's AADSTS700082), as after months without use. */
  expireRefreshTokens(): Promise<void>;
  stop(): Promise<void>;
}

const emulatorJs = resolve(repoRoot, 'out/node/azure-emulator.js');

/**
 * Starts the built emulator (`out/node/azure-emulator.js`, what `npm run azure-emulator` runs) with real Azurite
 * and waits for its JSON line. Stopped with SIGTERM, which stops Azurite too.
 */
export async function startEmulatorProcess(env: Record<string, string> = {}): Promise<EmulatorProcess> {
  requireBuilt([emulatorJs]);
  const child = spawn(process.execPath, [emulatorJs], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const info = await new Promise<EmulatorInfo>((resolveInfo, reject) => {
    let buffer = '';
    const timer = setTimeout(() => fail(new Error('The Azure emulator printed no JSON line within 60 s.')), 60_000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\nstderr:\n${stderr || '(empty)'}`));
    };
    child.once('exit', (code) => fail(new Error(`The Azure emulator exited (code ${code}) before it was ready.`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      try {
        resolveInfo(JSON.parse(buffer.slice(0, nl)) as EmulatorInfo);
      } catch (err) {
        fail(err as Error);
      }
    });
  });
  const cloud = JSON.parse(await readFile(info.cloudFile, 'utf8')) as { armEndpoint: string; caFile?: string };
  const ca = cloud.caFile ? await readFile(resolve(info.cloudFile, '..', cloud.caFile)) : undefined;
  const control = (path: string, body: string): Promise<void> =>
    new Promise<void>((ok, reject) => {
      const req = request(`${cloud.armEndpoint}${path}`, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 204 ? ok() : reject(new Error(`${path}: HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    info,
    fault: (fault, times = 1) => control('/_emulator/faults', JSON.stringify({ fault, times })),
    expireRefreshTokens: () => control('/_emulator/expire-refresh-tokens', ''),
    stop: () => terminate(child, 10_000),
  };
}
