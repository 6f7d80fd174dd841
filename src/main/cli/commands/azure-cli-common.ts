/** What every `preflight azure …` subcommand shares: the common flags, output and progress lines. */
import type { AzureProgress, AzureService } from '../../services/azure/azure-service';
import type { CliIo } from '../command';

export const COMMON = {
  cloud: { type: 'string' },
  'cache-file': { type: 'string' },
  subscription: { type: 'string' },
  'resource-group': { type: 'string' },
  workspace: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** The workspace the flags name (`--subscription`, `--resource-group`, `--workspace`); parts left out fall back to the saved defaults. */
export const workspaceFlags = (v: { subscription?: string; 'resource-group'?: string; workspace?: string }): Parameters<AzureService['workspaceRef']>[0] => ({
  subscription: v.subscription,
  resourceGroup: v['resource-group'],
  workspace: v.workspace,
});

/** Progress goes to stderr, so stdout stays one JSON document under --json. */
export function progressLine(io: CliIo): (p: AzureProgress) => void {
  let lastFile = '';
  let lastState = '';
  return (p) => {
    if (p.kind === 'log') {
      const prefix = p.container === 'StorageInitializer' ? 'storage-initializer' : 'inference-server';
      for (const line of p.lines) io.stderr(`[${p.deployment} ${prefix}] ${line}\n`);
    } else if (p.kind === 'upload') {
      if (p.file !== lastFile) io.stderr(`uploading ${p.file} (${p.uploadedBytes}/${p.totalBytes} bytes)\n`);
      lastFile = p.file;
    } else {
      // Long waits (batch jobs) report every poll: print a line when the state changes, not on every poll.
      const line = `${p.what}: ${p.state}`;
      if (line !== lastState || p.state === 'InProgress' || p.state === 'Creating' || p.state === 'Updating') io.stderr(`${line} (${Math.round(p.elapsedMs / 1000)} s)\n`);
      lastState = line;
    }
  };
}

export const print = (io: CliIo, json: boolean, value: unknown, text: string): void => io.stdout(json ? `${JSON.stringify(value, null, 2)}\n` : text.endsWith('\n') ? text : `${text}\n`);
