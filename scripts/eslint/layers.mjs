// @ts-check
// `preflight/layers`: the house rules of ARCHITECTURE.md §2 that a path pattern cannot express, checked on the
// resolved target of every relative or aliased import (so `../../x` and `@main/x` are judged by where they
// land, not by how they are spelled). `preflight/layer-relative`: an import that leaves its layer root
// (src/shared, src/main, src/preload, src/renderer/src) uses the layer's alias (scripts/aliases.mjs).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { layerOf, unalias } from '../aliases.mjs';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');
const rel = (abs) => relative(root, abs).split(sep).join('/');

/** [importer prefix, forbidden target prefixes, why] */
const MAIN_RULES = [
  ['src/main/services/', ['src/main/app/', 'src/main/ipc/', 'src/main/host/', 'src/main/cli/', 'src/main/electron/', 'src/main/index.ts'],
    'services know no host: depend on a port in src/main/ports/ instead (e.g. EventSink), and let app/compose.ts wire it.'],
  ['src/main/cli/', ['src/main/host/', 'src/main/electron/', 'src/main/ipc/'],
    'the CLI is a host of its own: it reaches services through app/ (compose, ports); `open` starts the browser-mode host as a process.'],
];

const FEATURES = 'src/renderer/src/features/';
const SERVICES = 'src/main/services/';

/** Folders of test-only and dev-only code: production code (src/, not its *.test.ts) never imports them. */
const NOT_PRODUCTION = ['test/', 'bench/', 'scripts/'];
const isTestFile = (p) => /\.test\.tsx?$/.test(p);

/** `src/main/services/<folder>/…` → `<folder>`, else null. */
const serviceFolder = (p) => (p.startsWith(SERVICES) ? p.slice(SERVICES.length).split('/')[0] : null);

/** Worker processes start in services/child/ (worker-process.ts); a one-shot probe with a timeout is no worker. */
const CHILD_FOLDER = 'src/main/services/child/';
const ONE_SHOT_PROCESSES = ['src/main/services/runner/python/interpreter-probe.ts', 'src/main/services/packaging/pip-download.ts'];

const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]((?:\.{1,2}|@shared|@main|@preload|@renderer)\/[^'"]+)['"]/g;

/** Where an import lands, repository-relative: relative specifiers from the importer's folder, aliases through their layer root; null for packages. */
const targetOf = (importerAbs, source) => {
  if (source.startsWith('.')) return rel(resolve(dirname(importerAbs), source));
  const dealiased = unalias(source);
  return dealiased === null ? null : dealiased;
};

/**
 * Which service folder imports which, read from the files on disk (not tests): `Map<from, Map<to, file>>`.
 * Read once per lint run (about 200 small files); the file being linted is judged by its own AST instead.
 */
let serviceGraph = null;
function readServiceGraph() {
  if (serviceGraph) return serviceGraph;
  const graph = new Map();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(entry.name) && !isTestFile(entry.name)) {
        const file = rel(p);
        const from = serviceFolder(file);
        for (const m of readFileSync(p, 'utf8').matchAll(IMPORT_RE)) {
          const to = serviceFolder(targetOf(p, m[1]) ?? '');
          if (!to || to === from) continue;
          if (!graph.has(from)) graph.set(from, new Map());
          if (!graph.get(from).has(to)) graph.get(from).set(to, file);
        }
      }
    }
  };
  walk(join(root, SERVICES));
  serviceGraph = graph;
  return graph;
}

/** A path of folder imports from `start` back to `goal` (ignoring the importer's own file), or null. */
function pathBack(graph, start, goal, skipFile) {
  const seen = new Set([start]);
  const queue = [[start, [start]]];
  while (queue.length) {
    const [at, trail] = queue.shift();
    for (const [to, file] of graph.get(at) ?? []) {
      if (file === skipFile || seen.has(to)) continue;
      const next = [...trail, `${to} (${file})`];
      if (to === goal) return next;
      seen.add(to);
      queue.push([to, next]);
    }
  }
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
const layers = {
  meta: { type: 'problem', docs: { description: 'ARCHITECTURE.md layer rules on resolved import paths' }, schema: [] },
  create(context) {
    const importer = rel(context.filename);
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const target = targetOf(context.filename, source);
      if (target === null) return;
      for (const [from, forbidden, why] of MAIN_RULES) {
        if (!importer.startsWith(from)) continue;
        const hit = forbidden.find((f) => target === f.replace(/\/$/, '') || target.startsWith(f));
        if (hit) context.report({ node, message: `${importer} imports ${target}: ${why}` });
      }
      if (importer.startsWith('src/') && !isTestFile(importer)) {
        const dev = NOT_PRODUCTION.find((d) => target.startsWith(d));
        if (dev) context.report({ node, message: `${importer} imports ${target}: production code never imports test-only or dev-only modules (${dev}); move what both need into src/, or the tool out of the app.` });
      }
      const from = serviceFolder(importer);
      const to = serviceFolder(target);
      if (from && to && from !== to && !isTestFile(importer)) {
        const back = pathBack(readServiceGraph(), to, from, importer);
        if (back) {
          context.report({ node, message: `${importer} imports services/${to}, but services/${to} already depends on services/${from}: ${back.join(' → ')}. Service folders must not import each other in a cycle; move the shared part into its own folder (as services/http/ and services/child/ are) or invert it with a port.` });
        }
      }
      if (importer.startsWith(FEATURES) && target.startsWith(FEATURES)) {
        const own = importer.slice(FEATURES.length).split('/')[0];
        const other = target.slice(FEATURES.length).split('/')[0];
        if (own !== other) {
          context.report({ node, message: `feature "${own}" imports feature "${other}" (${target}): features do not import each other; compose them in src/renderer/src/app/ (e.g. a model-tab slot).` });
        }
      }
    };
    const checkProcessStart = (node) => {
      if (node.source.value !== 'node:child_process' && node.source.value !== 'child_process') return;
      if (!importer.startsWith(SERVICES) || importer.startsWith(CHILD_FOLDER) || isTestFile(importer) || ONE_SHOT_PROCESSES.includes(importer)) return;
      if (node.importKind === 'type') return;
      for (const spec of node.specifiers) {
        const name = spec.type === 'ImportSpecifier' ? spec.imported.name : '*';
        if (spec.importKind !== 'type' && (name === 'fork' || name === 'spawn' || name === '*')) {
          context.report({ node: spec, message: `${importer} starts a process with child_process.${name}: worker processes start through services/child/worker-process.ts (one set of options, one seam for Electron's utilityProcess) and are supervised there.` });
        }
      }
    };
    return {
      ImportDeclaration: (node) => (checkProcessStart(node), check(node, node.source.value)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

/** @type {import('eslint').Rule.RuleModule} */
const layerRelative = {
  meta: { type: 'problem', docs: { description: 'imports that leave their layer root use the layer alias' }, schema: [] },
  create(context) {
    const importer = rel(context.filename);
    const from = layerOf(importer);
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = rel(resolve(dirname(context.filename), source));
      const to = layerOf(target);
      if (!to || (from && from.dir === to.dir)) return;
      const aliased = `${to.alias}${target.slice(to.dir.length)}`;
      context.report({ node, message: `${importer} imports '${source}', which leaves ${from ? from.dir : 'its folder'} for ${to.dir}: write '${aliased}' (layer aliases: scripts/aliases.mjs; \`node scripts/alias-imports.mjs\` rewrites them all).` });
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export default { rules: { layers, 'layer-relative': layerRelative } };
