import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { viteAliases } from './scripts/aliases.mjs';
import { injectCspMeta, rendererMetaPolicy } from './src/main/app/csp';

/** Bakes the one Content-Security-Policy (src/main/app/csp.ts) into index.html, in builds and the dev server alike. */
function cspMeta(): Plugin {
  return {
    name: 'preflight-csp-meta',
    transformIndexHtml: {
      order: 'pre',
      handler: (html, ctx) => injectCspMeta(html, rendererMetaPolicy({ devServer: ctx.server !== undefined })),
    },
  };
}

export default defineConfig({
  main: {
    resolve: { alias: viteAliases() },
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/main/index.ts') },
        // Native and worker-loaded modules stay outside the bundle.
        external: ['onnxruntime-node'],
      },
    },
  },
  preload: {
    resolve: { alias: viteAliases() },
    build: {
      // Sandboxed preloads can only require('electron'): bundle everything else (zod included) into one CJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: { alias: viteAliases() },
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    plugins: [cspMeta(), react()],
  },
});
