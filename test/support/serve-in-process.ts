/**
 * `preflight serve` run in the test's own process (the CLI's own code path), for the recorded differential
 * suites: resolves with the server's base URL once it prints it; `stop()` every server at the end and await
 * `done` so no server outlives the test.
 */
import type { CliIo } from '../../src/main/cli/command';
import type { RunnerService } from '../../src/main/services/runner/runner-service';
import { runCli } from '../../src/main/cli/run';
import { silentLogger } from '../../src/main/ports/logger';
import { repoRoot } from './paths';

export interface InProcessServers {
  /** Starts `preflight serve <args>`; the URL before `route` in its banner. */
  start(args: string[], route: '/score' | '/invocations'): Promise<string>;
  /** Stops every server started and waits for them. */
  stopAll(): Promise<void>;
}

/**
 * `runner`: the caller's runner, used by every server started (CliIo.runner) and left open — each model's Python
 * worker then starts once for the caller's own predict calls and all its servers, whatever the emulated version.
 * Read when a server starts, so it may be made later than the servers object (in a beforeAll).
 */
export function inProcessServers(env: NodeJS.ProcessEnv, runner?: () => RunnerService): InProcessServers {
  const stops: AbortController[] = [];
  const running: Promise<number>[] = [];
  return {
    start(args, route) {
      const stop = new AbortController();
      stops.push(stop);
      let out = '';
      let err = '';
      let found: (url: string) => void = () => {};
      const url = new Promise<string>((res) => (found = res));
      const banner = new RegExp(`at (http://127\\.0\\.0\\.1:\\d+)${route}`);
      const io: CliIo = {
        stdout: (t) => {
          out += t;
          const m = banner.exec(out);
          if (m) found(m[1]!);
        },
        stderr: (t) => (err += t),
        env, cwd: repoRoot, signal: stop.signal, log: silentLogger, runner: runner?.(),
      };
      const done = runCli(['serve', ...args], io);
      running.push(done);
      return Promise.race([url, done.then((code) => Promise.reject(new Error(`serve exited ${code}: ${err}`)))]);
    },
    async stopAll() {
      for (const s of stops) s.abort();
      await Promise.allSettled(running);
    },
  };
}
