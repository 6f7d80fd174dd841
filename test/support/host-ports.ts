import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostPorts } from '../../src/main/app/compose';
import { noDialogs } from '../../src/main/ports/dialogs';
import { silentLogger, type Logger } from '../../src/main/ports/logger';
import { repoRoot } from './paths';

/** Logs only errors, to the test's output: a failing handler says why instead of a bare E_INTERNAL. */
export const errorsToConsole: Logger = { ...silentLogger, error: (m: string, ...d: unknown[]) => console.error(m, ...d) };

/** Keeps each message as `<level> <message>` (details left out), for tests of what is logged at which level. */
export function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => void lines.push(`info ${m}`), warn: (m) => void lines.push(`warn ${m}`), error: (m) => void lines.push(`error ${m}`) };
}

/**
 * The ports of a headless host for compose() in tests: no dialogs, strict output checking, the repo's
 * resources (sample model, Python worker). Tests name their own user-data folder and override the rest.
 */
export function testHostPorts(over: Partial<HostPorts> & { userDataDir: string }): HostPorts {
  return {
    dialogs: noDialogs,
    log: silentLogger,
    host: 'browser',
    resourcesDir: join(repoRoot, 'resources'),
    initialModelPath: null,
    version: '0.0.0-test',
    strictOutputs: true,
    // Tests build their Python models in the temp folder; model-trust.test.ts passes [] to test trust itself.
    trustedFolders: [tmpdir()],
    ...over,
  };
}
