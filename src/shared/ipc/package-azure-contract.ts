import { z } from 'zod';
import { PackageAzureProgressSchema, PackageAzureResultSchema } from '../packaging/azure-step';

/**
 * `package.azure*` (issue 9, "In Azure"): the Package view's step into Azure — verify the package, register
 * the model and the package's offline build context, run Azure's model-package operation, deploy the packaged
 * environment. Sign-in and workspace defaults are the Azure service's (`azure.status`); nothing here carries
 * a token, key or SAS URL.
 */
const rpc = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string) => ({ input, output, doc });
const Name = z.string().min(1).max(255);

export const packageAzureMethods = {
  azureRun: rpc(
    z.strictObject({
      /** A package file (.tar.gz/.zip), or a model folder to package first (with wheels). */
      source: z.string().min(1, 'source must not be empty').max(4096),
      wheels: z.string().max(4096).nullable().optional(),
      subscription: Name.optional(),
      resourceGroup: Name.optional(),
      workspace: Name.optional(),
      /** Deploy the packaged environment to this managed online endpoint; null: stop after packaging. */
      endpoint: Name.nullable().optional(),
      deployment: Name.optional(),
      instanceType: Name.optional(),
      ignoreFindings: z.boolean().optional(),
      /** Chosen by the caller so package.azureCancel and package.azure-progress events can name the run. */
      operationId: z.string().min(1).max(100).optional(),
    }),
    PackageAzureResultSchema,
    "In Azure: verify the package (nothing is sent unless it PASSes), register model/, register the offline build context as an environment, run Azure's model-package operation (2024-04-01-preview, model mode Download) and, with an endpoint, deploy the packaged environment; progress as `package.azure-progress`. Errors: E_INVALID_INPUT (the package does not verify / cannot be packaged; details.step 'verify'), E_AZURE with Azure's message (a failed image build: details.buildLog), E_AZURE_AUTH (not signed in), E_CANCELLED (Azure goes on).",
  ),
  azureCancel: rpc(z.strictObject({ operationId: z.string() }), z.strictObject({ cancelled: z.boolean() }), 'Stop waiting for a package.azureRun of this window; Azure carries on with an operation already started.'),
} as const;

/** "Open package" in the Package view: the host's file dialog (Electron; scripted in E2E). */
export const packageOpenMethods = {
  pickFile: rpc(z.strictObject({}), z.strictObject({ path: z.string().nullable() }), 'Pick a package file (.tar.gz, .tgz, .zip) with the native dialog; path null when cancelled. Errors: E_ENVIRONMENT where the host has no file dialog (browser mode): type the path instead.'),
} as const;

export const packageAzureEvents = {
  /** Steps, uploads and Azure's operation states of `package.azureRun`. */
  'package.azure-progress': PackageAzureProgressSchema,
} as const;
