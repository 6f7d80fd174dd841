import { defineConfig } from 'vitest/config';
import { viteAliases } from './scripts/aliases.mjs';

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
          // The CLI/host/worker bundles, built once for every file that spawns them.
          globalSetup: ['test/support/bundles-setup.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Integration tests start servers and child processes; two cores do not like them in parallel.
          fileParallelism: false,
        },
      },
    ],
  },
});
