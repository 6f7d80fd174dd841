/**
 * What calling an online endpoint needs besides the body — its scoring URI, auth mode and (key auth) a key —
 * remembered per endpoint for a short time, so a replay of many rows reads the endpoint and lists its keys
 * (an ARM POST) once instead of on every request. Lives inside AzureService only: the key never leaves main.
 * A lookup in flight is shared (parallel requests do not each list the keys); a failed lookup is not kept.
 * The caller drops an entry when the endpoint refuses the key (401/403), is gone (404) or is changed by Preflight.
 */
import type { WorkspaceRef } from '../arm/ml-resources';

export interface ScoringTarget {
  scoringUri: string;
  authMode: string;
  /** The endpoint's primary key (authMode Key); null for Entra-token endpoints. */
  key: string | null;
}

/** How long a target is trusted without a refusal (default). */
export const SCORING_TARGET_TTL_MS = 60_000;

export class ScoringTargetCache {
  private readonly entries = new Map<string, { target: Promise<ScoringTarget>; expires: number }>();

  constructor(
    private readonly ttlMs = SCORING_TARGET_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  static key(ref: WorkspaceRef, endpoint: string): string {
    // ARM names are case-insensitive.
    return [ref.subscription, ref.resourceGroup, ref.workspace, endpoint].join('/').toLowerCase();
  }

  get(key: string, load: () => Promise<ScoringTarget>): Promise<ScoringTarget> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) return hit.target;
    const target = load();
    const entry = { target, expires: this.now() + this.ttlMs };
    this.entries.set(key, entry);
    target.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return target;
  }

  drop(key: string): void {
    this.entries.delete(key);
  }

  /** Forget every endpoint (sign-out). */
  clear(): void {
    this.entries.clear();
  }
}
