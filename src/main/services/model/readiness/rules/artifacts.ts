import type { Finding, FileEntry } from '@shared/mlflow/model-report';
import { normalizeRelative } from '../../safe-fs';
import { finding, listText, mlmodelFile, Ref, type ReportWithoutFindings } from '../finding';

/**
 * Flavor settings that name a file or folder of the model, which the flavor's loader opens at start-up
 * (mlflow.sklearn `pickled_model`, pyfunc `model_path`/`data`/`code`/`python_model`, pytorch/langchain
 * `model_data`, tensorflow `saved_model_dir`, transformers `model_binary`; Ref.storageFormat). A missing one
 * means `mlflow.pyfunc.load_model` fails in the container, after the image was built and the VM paid for.
 */
const PATH_KEYS = ['pickled_model', 'model_path', 'data', 'code', 'python_model', 'model_data', 'saved_model_dir', 'model_binary'] as const;

interface Reference {
  flavor: string;
  key: string;
  path: string;
}

function referencedPaths(report: ReportWithoutFindings): Reference[] {
  const refs: Reference[] = [];
  for (const flavor of report.mlmodel?.flavors ?? []) {
    for (const key of PATH_KEYS) {
      const value = flavor.settings[key];
      if (typeof value === 'string' && value.trim() !== '') refs.push({ flavor: flavor.name, key, path: value.trim() });
    }
    // pyfunc PythonModel artifacts: `artifacts: {name: {path: artifacts/x, uri: …}}`, copied into the folder at log time.
    const artifacts = flavor.settings.artifacts;
    if (artifacts && typeof artifacts === 'object' && !Array.isArray(artifacts)) {
      for (const [name, spec] of Object.entries(artifacts as Record<string, unknown>)) {
        const path = spec && typeof spec === 'object' ? (spec as Record<string, unknown>).path : null;
        if (typeof path === 'string' && path.trim() !== '') refs.push({ flavor: flavor.name, key: `artifacts.${name}.path`, path: path.trim() });
      }
    }
  }
  return refs;
}

function present(files: FileEntry[], rel: string): boolean {
  return files.some((f) => f.path === rel);
}

export function missingArtifactsRule(report: ReportWithoutFindings): Finding[] {
  if (report.kind !== 'mlflow-folder' || !report.mlmodel) return [];
  const seen = new Set<string>();
  const missing: { rel: string; refs: string[] }[] = [];
  for (const ref of referencedPaths(report)) {
    // Paths outside the folder are reported as Problems by the reader; the loader resolves inside the folder.
    const rel = normalizeRelative(ref.path.replace(/(?<!\/)\/+$/, '')); // (?<!\/): from a slash run's start only, else quadratic on a long run
    if (rel === null || present(report.files, rel)) continue;
    const where = `\`flavors.${ref.flavor}.${ref.key}\``;
    const entry = missing.find((m) => m.rel === rel);
    if (entry) {
      if (!seen.has(`${rel}|${where}`)) entry.refs.push(where);
    } else {
      missing.push({ rel, refs: [where] });
    }
    seen.add(`${rel}|${where}`);
  }
  return missing.map(({ rel, refs }) =>
    finding({
      code: 'missing-model-artifact',
      severity: 'error',
      title: `\`${rel}\` is missing: the model cannot load`,
      evidence: `${mlmodelFile(report)} names \`${rel}\` in ${listText(refs)}, but the model folder has no such file or folder. The deployment builds, then fails when MLflow loads the model.`,
      fix: `Copy the complete model folder (as MLflow saved it, e.g. \`mlflow artifacts download\`), or re-log the model so \`${rel}\` is written beside MLmodel.`,
      file: mlmodelFile(report),
      reference: Ref.storageFormat,
    }),
  );
}
