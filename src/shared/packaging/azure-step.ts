/**
 * The "In Azure" step of an offline package (issue 9): register the model, register the package's offline
 * build context as the base environment, run Azure's model-package operation, deploy the packaged
 * environment. Shared by the CLI's `--json`, the contract (`package.azure*`) and the Package view.
 */
import { z } from 'zod';

export const AzureStepSchema = z.enum(['verify', 'register-model', 'environment', 'package', 'deploy', 'done']);
export type AzureStep = z.infer<typeof AzureStepSchema>;

export const PackageAzureProgressSchema = z.strictObject({
  operationId: z.string(),
  step: AzureStepSchema,
  /** What is happening, in words (Azure's own state names where it gives one). */
  message: z.string(),
  /** Upload progress (model files, build context); null for other steps. */
  bytesDone: z.number().nonnegative().nullable(),
  bytesTotal: z.number().nonnegative().nullable(),
});
export type PackageAzureProgress = z.infer<typeof PackageAzureProgressSchema>;

const AssetSchema = z.strictObject({ name: z.string(), version: z.string(), id: z.string() });

export const PackageAzureResultSchema = z.strictObject({
  /** The package file the step started from (a temporary one when it started from a model folder). */
  package: z.string(),
  workspace: z.string(),
  model: AssetSchema,
  /** The package's offline build context (Dockerfile + environment/ + wheels/) registered as an environment. */
  baseEnvironment: AssetSchema,
  /** The environment Azure's model-package operation built (image with the model's server and dependencies). */
  environment: AssetSchema.extend({ image: z.string().nullable() }),
  buildId: z.string().nullable(),
  buildState: z.string(),
  /** The image build's log as Azure wrote it (its URL carries a SAS token and is never shown or stored). */
  buildLog: z.string(),
  /** Null when no endpoint was named, or for batch packages (batch endpoints are deployed elsewhere). */
  deployment: z.strictObject({ endpoint: z.string(), deployment: z.string(), scoringUri: z.string(), state: z.string() }).nullable(),
});
export type PackageAzureResult = z.infer<typeof PackageAzureResultSchema>;

const URL_START = /https?:\/\//g;
/** A URL's scheme-less part up to its query (what `[^\s?"']+` took), and the query itself (`[^\s"']*`). */
const BEFORE_QUERY = /[^\s?"']*/y;
const QUERY = /[^\s"']*/y;

function runEnd(sticky: RegExp, text: string, from: number): number {
  sticky.lastIndex = from;
  return from + (sticky.exec(text)?.[0].length ?? 0);
}

/**
 * The SAS token of a blob URL is a credential: messages and logs get the URL without its query.
 * Same output as a global replace of `(https?:\/\/[^\s?"']+)\?[^\s"']*` by `$1?<SAS token removed>`, in one pass: that
 * pattern scanned to the end of a run from each `http://` inside it, then gave up when no `?` ended the run — quadratic
 * on an Azure answer or build log holding a long run of URLs (100 000 characters of `http://…`: 2 s). A URL whose run
 * is not ended by `?` fails for every `http://` inside that run too (they end where it ends), so the scan jumps past it.
 */
export function withoutSas(text: string): string {
  let out = '';
  let copied = 0;
  URL_START.lastIndex = 0;
  for (let m = URL_START.exec(text); m !== null; m = URL_START.exec(text)) {
    const host = m.index + m[0].length;
    const end = runEnd(BEFORE_QUERY, text, host);
    if (end > host && text[end] === '?') {
      const queryEnd = runEnd(QUERY, text, end + 1);
      out += `${text.slice(copied, end)}?<SAS token removed>`;
      copied = queryEnd;
      URL_START.lastIndex = queryEnd;
    } else URL_START.lastIndex = end;
  }
  return out + text.slice(copied);
}
