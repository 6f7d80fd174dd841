// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import preflight from './scripts/eslint/layers.mjs';

const nodeBuiltins = ['node:*', 'fs', 'fs/promises', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'stream', 'url', 'worker_threads', 'zlib', 'events', 'util'];

/** Layer rules (ARCHITECTURE.md §2): enforced here, not by review. */
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'resources/**', 'test/e2e/output/**', 'bench/output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { preflight },
    rules: { 'preflight/layers': 'error', 'preflight/layer-relative': 'error' },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    // Tests build their own, short arrays.
    ignores: ['src/**/*.test.{ts,tsx}'],
    rules: {
      // A spread argument puts every item on the call stack: from ~120 000 items V8 throws "Maximum call stack
      // size exceeded" (a 500 000-line requirements.txt crashed `inspect`). Lengths that come from input are unbounded.
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name=/^(push|unshift)$/] > SpreadElement",
          message: 'x.push(...items) overflows the stack on long arrays: use pushAll(x, items) from @shared/arrays (or a loop).',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name=/^(max|min)$/] > SpreadElement",
          message: 'Math.max/min(...items) overflow the stack on long arrays: use maxOf/minOf(items) from @shared/arrays (or a loop).',
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.{ts,tsx}'],
    // Tests may read fixtures from disk; the code under test may not.
    ignores: ['src/shared/**/*.test.ts'],
    rules: restrict(['electron', ...nodeBuiltins, 'react', 'react-dom', '**/main/**', '**/renderer/**', '**/preload/**', '@main/**', '@renderer/**', '@preload/**'], 'src/shared is runtime-free: no electron, node:* or DOM code, and no imports from main/renderer/preload.'),
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/electron/**'],
    rules: restrict(['electron', '**/renderer/**', '**/preload/**', '@renderer/**', '@preload/**'], 'Only src/main/index.ts and src/main/electron/ may import electron; services stay testable headless.'),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(['electron', ...nodeBuiltins, '**/main/**', '**/preload/**', '@main/**', '@preload/**'], 'The renderer talks to main only through lib/api.ts.'),
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: restrict(['**/main/**', '**/renderer/**', '@main/**', '@renderer/**', ...nodeBuiltins], 'The preload only builds the bridge from the shared contract.'),
  },
);
