import { z } from 'zod';

/**
 * `azure.*` (issue 8): Azure ML through the main process. Nothing here carries a token, key, storage
 * credential or client secret — sign-in happens in main (device code shows its user code through the
 * `azure.device-code` event), and invoking an endpoint fetches its key or token in main.
 */
const rpc = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string) => ({ input, output, doc });
const Empty = z.object({}).strict();
const Name = z.string().min(1).max(255);

export const AzureDefaultsSchema = z.strictObject({ subscription: z.string().nullable(), resourceGroup: z.string().nullable(), workspace: z.string().nullable() });
export const AzureStatusSchema = z.strictObject({
  signedIn: z.boolean(),
  method: z.enum(['service-principal', 'device-code', 'interactive', 'azure-cli']).nullable(),
  tenant: z.string().nullable(),
  clientId: z.string().nullable(),
  account: z.string().nullable(),
  /** Where secrets are kept and how well, in words (e.g. the weak Linux basic_text backend). */
  secretStore: z.string(),
  cloud: z.string(),
  defaults: AzureDefaultsSchema,
});
/** Optional workspace fields; missing ones come from the saved defaults. */
const WorkspaceInput = { subscription: Name.optional(), resourceGroup: Name.optional(), workspace: Name.optional() };
const WorkspaceSchema = z.strictObject({ id: z.string(), name: z.string(), location: z.string(), resourceGroup: z.string(), subscription: z.string(), workspaceId: z.string(), publicNetworkAccess: z.string(), privateLink: z.boolean() });
const EndpointSchema = z.strictObject({
  name: z.string(),
  authMode: z.string(),
  state: z.string(),
  scoringUri: z.string().nullable(),
  traffic: z.record(z.string(), z.number()),
  deployments: z.array(z.strictObject({ name: z.string(), state: z.string(), model: z.string().nullable(), instanceType: z.string().nullable() })),
});

export const AzureProgressSchema = z.union([
  z.strictObject({ operationId: z.string(), kind: z.literal('upload'), file: z.string(), uploadedBytes: z.number(), totalBytes: z.number() }),
  z.strictObject({ operationId: z.string(), kind: z.literal('operation'), what: z.string(), state: z.string(), elapsedMs: z.number() }),
  /** New log lines of a deployment's container while Azure creates it (live tail; lines only, no secrets). */
  z.strictObject({ operationId: z.string(), kind: z.literal('log'), deployment: z.string(), container: z.enum(['StorageInitializer', 'InferenceServer']), lines: z.array(z.string()) }),
]);

export const azureMethods = {
  status: rpc(Empty, AzureStatusSchema, 'Who is signed in (no secrets), where secrets are kept, the cloud and the saved workspace defaults.'),
  loginDeviceCode: rpc(
    z.strictObject({ tenant: Name, clientId: Name.optional(), operationId: z.string().min(1).max(100).optional() }),
    AzureStatusSchema.omit({ cloud: true, defaults: true }),
    'Device-code sign-in with msal-node; the code to enter is pushed as `azure.device-code`. Errors: E_AZURE_AUTH with Entra\'s reason.',
  ),
  logout: rpc(Empty, AzureStatusSchema.omit({ cloud: true, defaults: true }), 'Sign out: clears the token cache and saved session from the secret store.'),
  accounts: rpc(
    Empty,
    z.array(z.strictObject({ username: z.string(), tenant: z.string(), method: z.enum(['device-code', 'interactive']), current: z.boolean() })),
    'The user accounts signed in on this machine since the last Sign out that msal can still renew (the account picker); no tokens.',
  ),
  useAccount: rpc(
    z.strictObject({ username: Name }),
    AzureStatusSchema.omit({ cloud: true, defaults: true }),
    'Switch to another cached account without signing in again. Errors: E_INVALID_INPUT (no such cached account), E_AZURE_AUTH (its sign-in expired: sign in again; the account in use stays).',
  ),
  workspaces: rpc(z.strictObject({ subscription: Name.nullable().optional() }), z.array(WorkspaceSchema), 'Workspaces of the subscription (none given: of every subscription the sign-in sees); privateLink marks public network access disabled.'),
  useWorkspace: rpc(z.strictObject({ subscription: Name, resourceGroup: Name, workspace: Name }), AzureDefaultsSchema, 'Save the workspace later calls default to.'),
  models: rpc(z.strictObject(WorkspaceInput), z.array(z.strictObject({ name: z.string(), latestVersion: z.string().nullable() })), 'Registered models of the workspace.'),
  endpoints: rpc(z.strictObject(WorkspaceInput), z.array(EndpointSchema), 'Managed online endpoints with their deployments and traffic.'),
  deploy: rpc(
    z.strictObject({
      ...WorkspaceInput,
      modelDir: z.string().min(1).max(4096),
      endpoint: Name,
      deployment: Name.optional(),
      instanceType: Name.optional(),
      instanceCount: z.number().int().min(1).max(100).optional(),
      authMode: z.enum(['Key', 'AADToken']).optional(),
      ignoreFindings: z.boolean().optional(),
      operationId: z.string().min(1).max(100).optional(),
    }),
    z.strictObject({ endpoint: z.string(), deployment: z.string(), scoringUri: z.string(), model: z.strictObject({ name: z.string(), version: z.string() }), state: z.string(), uploadedBytes: z.number() }),
    'Register the folder (upload to the default datastore), create/update the endpoint and a no-code MLflow deployment, set 100 % traffic; progress as `azure.progress`. Errors: E_INVALID_INPUT (error findings, unless ignoreFindings), E_AZURE with ARM\'s code and what to do, E_CANCELLED (Azure goes on).',
  ),
  invoke: rpc(
    z.strictObject({ ...WorkspaceInput, endpoint: Name, deployment: Name.nullable().optional(), body: z.string().max(64 * 1024 * 1024), contentType: z.string().nullable().optional(), operationId: z.string().min(1).max(100).optional() }),
    z.strictObject({ status: z.number(), headers: z.record(z.string(), z.string()), body: z.unknown(), body_text: z.string(), explanation: z.string().nullable(), requestId: z.string().nullable() }),
    'Call the endpoint (its key or an Entra token is fetched in main); the answer has predict\'s shape plus a plain-language explanation for errors. `azure.cancel` with the operationId aborts the HTTP request: E_CANCELLED (the endpoint may still have scored it).',
  ),
  logs: rpc(
    z.strictObject({ ...WorkspaceInput, endpoint: Name, deployment: Name.nullable().optional(), container: z.enum(['InferenceServer', 'StorageInitializer']).optional(), tail: z.number().int().min(1).max(10000).optional() }),
    z.strictObject({ deployment: z.string(), container: z.string(), text: z.string() }),
    'The tail of a deployment\'s container log (default: the deployment with the most traffic).',
  ),
  exportYaml: rpc(z.strictObject({ ...WorkspaceInput, endpoint: Name }), z.array(z.strictObject({ name: z.string(), content: z.string() })), 'The endpoint, its deployments and their models as Azure ML CLI v2 YAML files (model-<name>-<version>.yml, endpoint.yml, deployment-<name>.yml, traffic.txt); no secrets.'),
  deleteEndpoint: rpc(z.strictObject({ ...WorkspaceInput, endpoint: Name, operationId: z.string().min(1).max(100).optional() }), z.strictObject({ deleted: z.boolean() }), 'Delete the endpoint and its deployments, waiting until Azure is done.'),
  batchEndpoints: rpc(
    z.strictObject(WorkspaceInput),
    z.array(z.strictObject({ name: z.string(), state: z.string(), scoringUri: z.string().nullable(), defaultDeployment: z.string().nullable(), deployments: z.array(z.strictObject({ name: z.string(), state: z.string(), model: z.string().nullable(), compute: z.string().nullable() })) })),
    'Batch endpoints with their deployments and default deployment.',
  ),
  batchDeploy: rpc(
    z.strictObject({
      ...WorkspaceInput,
      modelDir: z.string().min(1).max(4096),
      endpoint: Name,
      deployment: Name.optional(),
      compute: Name.optional(),
      instanceType: Name.optional(),
      instanceCount: z.number().int().min(1).max(100).optional(),
      miniBatchSize: z.number().int().min(1).max(100_000).optional(),
      ignoreFindings: z.boolean().optional(),
      operationId: z.string().min(1).max(100).optional(),
    }),
    z.strictObject({ endpoint: z.string(), deployment: z.string(), scoringUri: z.string(), model: z.strictObject({ name: z.string(), version: z.string() }), compute: z.string(), state: z.string() }),
    'Register the folder, create the compute cluster when missing (scales to 0), the batch endpoint (Entra auth) and an MLflow model batch deployment (no scoring script), and make it the default; progress as `azure.progress`. Errors as `deploy`.',
  ),
  batchInvoke: rpc(
    z.strictObject({ ...WorkspaceInput, endpoint: Name, deployment: Name.nullable().optional(), input: z.string().min(1).max(4096), outDir: z.string().min(1).max(4096), overwrite: z.boolean().optional(), operationId: z.string().min(1).max(100).optional() }),
    z.strictObject({ job: z.string(), status: z.string(), endpoint: z.string(), deployment: z.string().nullable(), inputUri: z.string(), uploadedBytes: z.number(), outputUri: z.string(), predictionsPath: z.string().nullable(), elapsedMs: z.number() }),
    'Upload a local folder of CSV/parquet files, start a batch job, follow it to its end (upload and job states as `azure.progress`) and download predictions.csv into outDir. Errors: E_OUTPUT_EXISTS (predictions file there, unless overwrite), E_AZURE (the job failed: details {job, status}), E_CANCELLED (stopped waiting; the job goes on in Azure).',
  ),
  batchExportYaml: rpc(z.strictObject({ ...WorkspaceInput, endpoint: Name }), z.array(z.strictObject({ name: z.string(), content: z.string() })), 'The batch endpoint, its deployments and their models as Azure ML CLI v2 YAML files (model-<name>-<version>.yml, batch-endpoint.yml, batch-deployment-<name>.yml); no secrets.'),
  batchDelete: rpc(z.strictObject({ ...WorkspaceInput, endpoint: Name, operationId: z.string().min(1).max(100).optional() }), z.strictObject({ deleted: z.boolean() }), 'Delete the batch endpoint and its deployments, waiting until Azure is done.'),
} as const;

export const azureEvents = {
  /** Device-code sign-in: what to show the user (the user code is not a secret; it only works with their sign-in). */
  'azure.device-code': z.strictObject({ message: z.string(), userCode: z.string(), verificationUri: z.string() }),
  /** Upload and long-running-operation progress of `azure.deploy` / `azure.deleteEndpoint`. */
  'azure.progress': AzureProgressSchema,
} as const;
