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

/** The SAS token of a blob URL is a credential: messages and logs get the URL without its query. */
export function withoutSas(text: string): string {
  return text.replace(/(https?:\/\/[^\s?"']+)\?[^\s"']*/g, '$1?<SAS token removed>');
}
