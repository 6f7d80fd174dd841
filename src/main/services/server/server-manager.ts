/**
 * The app's local scoring servers: start one per request (model + profile), list and stop them, and
 * forward each server's request log as `server.request` events. Built on `startScoringServer`; every
 * server shares the app's RunnerService, so a model loaded for "Send" is warm for the server too.
 *
 * The Azure profile's key is a secret: it stays in this process. The app copies it to the clipboard
 * through the ClipboardPort; where there is no clipboard (browser mode) `announceSecret` prints it once
 * to the host's terminal (never to a log file), and the UI says so.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { AppError, ErrorCodes } from '@shared/errors';
import type { CallInput, ServerInfoData } from '@shared/ipc/contract';
import type { EventSink } from '../../ports/event-sink';
import type { ClipboardPort } from '../../ports/clipboard';
import { silentLogger, type Logger } from '../../ports/logger';
import type { RunnerService } from '../runner/runner-service';
import { startScoringServer, type ScoringServer } from './scoring-server';

export interface ServerManagerOptions {
  runner: RunnerService;
  events: EventSink;
  clipboard: ClipboardPort;
  /** Where a key goes when there is no clipboard: the host's own terminal (stdout). Never a log file. */
  announceSecret?: (line: string) => void;
  logger?: Logger;
}

/** `server.start`'s request: the model, the profile, a port (0/absent: any free one), an MLflow version to emulate. */
export type StartServerInput = CallInput<'server', 'start'>;

interface Entry {
  info: ServerInfoData;
  scoring: ScoringServer;
  unsubscribe: () => void;
}

/** Characters of the key shown as a hint: enough to tell two keys apart, far too few to guess the rest. */
const KEY_HINT_CHARS = 4;

export class ServerManager {
  private readonly servers = new Map<string, Entry>();
  private readonly logger: Logger;
  private closed = false;

  constructor(private readonly options: ServerManagerOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  get clipboard(): { available: boolean; reason: string | null } {
    return { available: this.options.clipboard.available, reason: this.options.clipboard.unavailableReason };
  }

  async start(input: StartServerInput): Promise<ServerInfoData> {
    if (this.closed) throw new AppError(ErrorCodes.CANCELLED, 'Preflight is shutting down; no new servers start.');
    const scoring = await startScoringServer({
      modelPath: resolve(input.modelPath),
      server: input.server,
      port: input.port ?? 0,
      mlflowVersion: input.mlflowVersion ?? null,
      runner: this.options.runner,
    });
    const id = randomUUID();
    const info: ServerInfoData = {
      id,
      modelPath: resolve(input.modelPath),
      url: scoring.url,
      server: scoring.server,
      engine: scoring.engine,
      mlflowVersion: scoring.mlflowVersion,
      keyHint: scoring.key === null ? null : `${scoring.key.slice(0, KEY_HINT_CHARS)}…`,
      startedAt: new Date().toISOString(),
      wouldNotStart: scoring.wouldNotStart,
    };
    const unsubscribe = scoring.onRequest((e) => this.options.events.emit('server.request', { id, ...e }));
    this.servers.set(id, { info, scoring, unsubscribe });
    this.logger.info(`server ${id}: ${info.server} profile for ${info.modelPath} at ${info.url}`);
    if (scoring.key !== null && !this.options.clipboard.available && this.options.announceSecret) {
      this.options.announceSecret(`Local server ${info.url}/score (${info.modelPath}) key: ${scoring.key}`);
    }
    return info;
  }

  list(): ServerInfoData[] {
    return [...this.servers.values()].map((e) => e.info);
  }

  /** The key of a running server, for in-process callers only (tests, the clipboard); never sent over IPC. */
  keyOf(id: string): string | null {
    return this.entry(id).scoring.key;
  }

  async copyKey(id: string): Promise<{ copied: boolean; message: string }> {
    const key = this.keyOf(id);
    if (key === null) throw new AppError(ErrorCodes.INVALID_INPUT, 'This server uses the MLflow profile, which has no key (mlflow models serve has no auth).');
    const clip = this.options.clipboard;
    if (!clip.available) return { copied: false, message: clip.unavailableReason ?? 'This host has no clipboard.' };
    await clip.writeText(key);
    return { copied: true, message: 'The key is on the clipboard. Paste it where you need it; Preflight never shows it.' };
  }

  async stop(id: string, reason = 'stopped'): Promise<boolean> {
    const e = this.servers.get(id);
    if (!e) return false;
    this.servers.delete(id);
    e.unsubscribe();
    try {
      await e.scoring.close();
    } finally {
      this.options.events.emit('server.stopped', { id, reason });
    }
    return true;
  }

  /** Stops every server (host shutdown); later starts are refused. */
  async closeAll(reason = 'Preflight is shutting down'): Promise<void> {
    this.closed = true;
    await Promise.all([...this.servers.keys()].map((id) => this.stop(id, reason).catch((err: unknown) => this.logger.warn(`server ${id} did not stop cleanly`, err))));
  }

  private entry(id: string): Entry {
    const e = this.servers.get(id);
    if (!e) throw new AppError(ErrorCodes.NOT_FOUND, `No local server with id ${id} is running (it may have been stopped). Start it again from the Run tab.`);
    return e;
  }
}
