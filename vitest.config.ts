import { defineConfig } from 'vitest/config';
import { viteAliases } from './scripts/aliases.mjs';

/** The files that only replay recorded MLflow answers through `describeReplay` (and nothing else). */
const REPLAYS = ['test/integration/fidelity-{1x,201,210,2102,2162,231,242,250,260,281,361,fresh,fresh2,fresh3,fresh4,heldout,large,nested,replay,rowindex}.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: viteAliases() },
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias: viteAliases() },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: REPLAYS,
          // The CLI/host/worker bundles, built once for every file that spawns them.
          globalSetup: ['test/support/bundles-setup.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Integration tests start servers and child processes; two cores do not like them in parallel.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias: viteAliases() },
        test: {
          // The recorded MLflow replays (test/support/fidelity-replay.ts), after the other integration files.
          // One process for all of them (isolate: false): the sources load once, and the replays share one runner,
          // so each fidelity model's Python worker (~2 s of CPU to import pandas and scikit-learn) starts once per
          // run instead of once per file.
          name: 'integration-replays',
          include: REPLAYS,
          globalSetup: ['test/support/bundles-setup.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          isolate: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
