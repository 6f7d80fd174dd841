import { describe, expect, it } from 'vitest';
import { DeploymentLogTail, type LogContainer, type LogLines } from './deployment-log-tail';

describe('DeploymentLogTail', () => {
  it('hands on each line once per container, skips failed reads, and reads once more at the end unless stopped', async () => {
    const logs: Record<LogContainer, string[]> = { StorageInitializer: [], InferenceServer: [] };
    let failNext = false;
    const seen: LogLines[] = [];
    const tail = new DeploymentLogTail(
      'blue',
      async (c) => {
        if (failNext && c === 'InferenceServer') throw new Error('404: the container does not exist yet');
        return logs[c].join('\n');
      },
      (l) => seen.push(l),
    );
    logs.StorageInitializer.push('t1 Downloading', 't2 Downloaded 7 files.');
    failNext = true;
    tail.poke();
    await tail.finish({ stopped: true });
    expect(seen).toEqual([{ deployment: 'blue', container: 'StorageInitializer', lines: ['t1 Downloading', 't2 Downloaded 7 files.'] }]);
    failNext = false;
    logs.InferenceServer.push('t3 Server is ready.');
    logs.StorageInitializer.push('t4 done');
    await tail.finish({ stopped: false });
    expect(seen.slice(1)).toEqual([
      { deployment: 'blue', container: 'StorageInitializer', lines: ['t4 done'] },
      { deployment: 'blue', container: 'InferenceServer', lines: ['t3 Server is ready.'] },
    ]);
    // Stopped waiting: no last read.
    logs.InferenceServer.push('t5 later');
    await tail.finish({ stopped: true });
    expect(seen).toHaveLength(3);
  });

  it("the deployment's error is the last line shown, though the storage initializer's last line was written while a read was under way", async () => {
    // Azure (and the emulator) write the storage initializer's lines first, then the failure lands in the inference
    // server's log. A read between those two writes must not leave the storage line below the error.
    const logs: Record<LogContainer, string[]> = { StorageInitializer: ['t1 Downloading'], InferenceServer: [] };
    const lines: string[] = [];
    let step = 0;
    const tail = new DeploymentLogTail(
      'blue',
      async (c) => {
        const text = logs[c].join('\n');
        // the model finishes downloading and the deployment fails right after the poll's first read
        if (step++ === 0) {
          logs.StorageInitializer.push('t2 Downloaded 7 files.');
          logs.InferenceServer.push('t3 ERROR ResourceNotReady: The container crashed while starting.');
        }
        return text;
      },
      (l) => lines.push(...l.lines),
    );
    tail.poke();
    await tail.finish({ stopped: false });
    expect(lines.at(-1)).toBe('t3 ERROR ResourceNotReady: The container crashed while starting.');
    expect(lines).toContain('t2 Downloaded 7 files.');
  });
});
