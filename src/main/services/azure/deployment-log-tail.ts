/**
 * A live tail of a deployment's container logs while Azure creates it (issue 8 "live log tail of the
 * inference-server and storage-initializer containers"): on each poll of the deployment's long-running
 * operation, read the last lines of both containers with `getLogs` and hand on the lines not seen yet.
 * It rides on the operation's own polling (so it honours Retry-After and stops when the caller stops
 * waiting); a log read that fails (the containers do not exist yet, a throttled call) is skipped, never
 * fatal — logs are for the user's eyes, the operation's state decides success.
 */

export type LogContainer = 'StorageInitializer' | 'InferenceServer';

export interface LogLines {
  deployment: string;
  container: LogContainer;
  lines: string[];
}

/** At most this many lines are remembered per container to recognise repeats in the next read. */
const SEEN_LIMIT = 5_000;
const CONTAINERS: LogContainer[] = ['StorageInitializer', 'InferenceServer'];

export class DeploymentLogTail {
  private readonly seen = new Map<LogContainer, Set<string>>(CONTAINERS.map((c) => [c, new Set<string>()]));
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly deployment: string,
    private readonly read: (container: LogContainer) => Promise<string>,
    private readonly emit: (lines: LogLines) => void,
  ) {}

  /** Read both containers now unless a read is still running (a slow getLogs must not pile up calls). */
  poke(): void {
    this.inFlight ??= this.readAll().finally(() => (this.inFlight = null));
  }

  /** After the operation ends: wait for a running read, then read once more so the last lines (an error) are shown. */
  async finish(options: { stopped: boolean }): Promise<void> {
    await this.inFlight;
    if (!options.stopped) await this.readAll();
  }

  /**
   * Reads the inference server first and the storage initializer second, then hands them on in the containers'
   * order: the storage initializer finishes before the server starts, so a storage line the second read sees was
   * written before any server line the first read saw, and the last line shown is the server's (its error). Read
   * the other way round, a storage line could be read after the error and shown below it.
   */
  private async readAll(): Promise<void> {
    const texts = new Map<LogContainer, string>();
    for (const container of [...CONTAINERS].reverse()) {
      try {
        texts.set(container, await this.read(container));
      } catch {
        // skipped: see the class comment
      }
    }
    for (const container of CONTAINERS) {
      const text = texts.get(container);
      if (text === undefined) continue;
      const seen = this.seen.get(container)!;
      const fresh = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !seen.has(l));
      if (fresh.length === 0) continue;
      for (const l of fresh) seen.add(l);
      if (seen.size > SEEN_LIMIT) for (const l of [...seen].slice(0, seen.size - SEEN_LIMIT)) seen.delete(l);
      this.emit({ deployment: this.deployment, container, lines: fresh });
    }
  }
}
