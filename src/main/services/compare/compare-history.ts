import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CompareHistoryEntrySchema, HISTORY_BODY_CAP, type CompareHistoryEntryData, type CompareResultData } from '@shared/ipc/compare-contract';
import type { Logger } from '../../ports/logger';
import { writeFileAtomic } from '../store/atomic-file';
import type { CompareInput } from './compare-service';

/**
 * The playground's run history (issue 10; peers.md pain 18): every comparison the app made, newest first,
 * persisted atomically in the user-data folder, searchable and re-openable. Headers are never stored (they
 * carry keys); bodies above HISTORY_BODY_CAP are left out and the entry says so.
 */

export const HISTORY_FILE = 'compare-history.json';
const MAX_ENTRIES = 200;

export const HistoryEntrySchema = CompareHistoryEntrySchema;
export type HistoryEntry = CompareHistoryEntryData;
const FileSchema = z.strictObject({ version: z.literal(1), entries: z.array(HistoryEntrySchema) });

export class CompareHistory {
  private entries: HistoryEntry[] | null = null;
  /** Writes one after another, so a slow disk never lets an older list overwrite a newer one. */
  private writing: Promise<void> = Promise.resolve();
  private seq = 0;

  constructor(private readonly dir: string, private readonly log: Logger) {}

  private get file(): string {
    return join(this.dir, HISTORY_FILE);
  }

  private async load(): Promise<HistoryEntry[]> {
    if (this.entries) return this.entries;
    try {
      this.entries = FileSchema.parse(JSON.parse(await readFile(this.file, 'utf8'))).entries;
    } catch (err) {
      // Missing is normal; unreadable is logged and the history starts over rather than blocking the playground.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`compare history: ${this.file} could not be read; starting a new one`, err);
      this.entries = [];
    }
    return this.entries;
  }

  async add(input: CompareInput, result: CompareResultData, now = new Date()): Promise<HistoryEntry> {
    const entries = await this.load();
    const entry: HistoryEntry = {
      id: `${now.getTime().toString(36)}-${(++this.seq).toString(36)}`,
      time: now.toISOString(),
      modelPath: input.modelPath,
      body: input.body.length <= HISTORY_BODY_CAP ? input.body : null,
      contentType: input.contentType,
      targets: input.targets,
      tolerance: input.tolerance,
      // written only when chosen: a run for the pin has the same entry an older build reads
      ...(input.mlflowVersion ? { mlflowVersion: input.mlflowVersion } : {}),
      agree: result.verdict.agree,
      kind: result.verdict.kind,
      sentence: result.verdict.sentence,
      statuses: result.targets.map((t) => ({ name: t.name, status: t.response?.status ?? null })),
    };
    this.entries = [entry, ...entries].slice(0, MAX_ENTRIES);
    const snapshot = JSON.stringify({ version: 1, entries: this.entries });
    this.writing = this.writing.then(() => writeFileAtomic(this.file, snapshot)).catch((err: unknown) => this.log.error('compare history: could not be saved', err));
    await this.writing;
    return entry;
  }

  /**
   * Newest first; `query` matches (case-insensitively, as typed: no pattern syntax) the verdict, the model path, target
   * names and the body. Searched with one escaped, case-insensitive pattern rather than lower-casing every field: a full
   * history holds 200 bodies of up to 256 KB, and lower-casing those 50 MB took 0.6–1.8 s per keystroke here, in the
   * main process; the pattern takes 0–90 ms whatever the query.
   */
  async list(query = '', limit = 50): Promise<{ entries: HistoryEntry[]; total: number }> {
    const q = query.trim();
    const all = await this.load();
    const pattern = q ? new RegExp(q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'iu') : null;
    const hits = pattern ? all.filter((e) => [e.sentence, e.modelPath, ...e.statuses.map((s) => s.name), e.body ?? ''].some((f) => pattern.test(f))) : all;
    return { entries: hits.slice(0, limit), total: hits.length };
  }
}
