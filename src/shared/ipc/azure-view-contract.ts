import { z } from 'zod';
import { AzureStatusSchema } from './azure-contract';

/**
 * `azure.*` calls the Azure view needs beyond the service's first contract (issue 8, UI part): the other
 * sign-in methods, subscriptions for the tree, cancelling a wait, and endpoint keys. Secrets go one way
 * only: a service principal's secret is typed by the user and sent to main, which keeps it in the
 * SecretStore; an endpoint key never comes back unless the user asks to see it (`revealKey`).
 */
const rpc = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string) => ({ input, output, doc });
const Name = z.string().min(1).max(255);
const OperationId = z.string().min(1).max(100);
const WorkspaceInput = { subscription: Name.optional(), resourceGroup: Name.optional(), workspace: Name.optional() };
const SignedInSchema = AzureStatusSchema.omit({ cloud: true, defaults: true });
const KeyInput = z.strictObject({ ...WorkspaceInput, endpoint: Name, which: z.enum(['primary', 'secondary']).optional() });

export const azureViewMethods = {
  loginServicePrincipal: rpc(
    z.strictObject({ tenant: Name, clientId: Name, clientSecret: z.string().min(1).max(1024) }),
    SignedInSchema,
    "Service-principal sign-in with a client secret; main keeps the secret in the SecretStore and never returns it. Errors: E_AZURE_AUTH with Entra's reason.",
  ),
  loginInteractive: rpc(
    z.strictObject({ tenant: Name, clientId: Name.optional(), operationId: OperationId.optional() }),
    SignedInSchema,
    'System-browser sign-in (msal loopback): the host opens the sign-in page where it can, and pushes its URL as `azure.sign-in-url` so the page can offer a link. Cancel with `azure.cancel`.',
  ),
  loginAzureCli: rpc(z.strictObject({ tenant: Name.optional() }), SignedInSchema, "Use the Azure CLI's sign-in on this computer (`az account get-access-token`). Errors: E_AZURE_AUTH when az is missing or signed out."),
  subscriptions: rpc(z.strictObject({}), z.array(z.strictObject({ subscriptionId: z.string(), displayName: z.string(), state: z.string() })), 'Subscriptions the sign-in sees.'),
  cancel: rpc(
    z.strictObject({ operationId: OperationId }),
    z.strictObject({ cancelled: z.boolean() }),
    'Stop waiting for a deploy, delete, sign-in or invoke this window started with that operationId (an invoke\'s HTTP request is aborted). Azure goes on with what it already accepted.',
  ),
  copyKey: rpc(
    KeyInput,
    z.strictObject({ copied: z.boolean(), message: z.string() }),
    "Put an endpoint key on this computer's clipboard from main (the key never crosses IPC); where the host has no clipboard it says where the key went instead.",
  ),
  revealKey: rpc(KeyInput, z.strictObject({ key: z.string() }), 'The endpoint key itself — only on an explicit user action ("Reveal"); the view hides it again and never stores it.'),
} as const;

export const azureViewEvents = {
  /** System-browser sign-in: the page to open (holds no secret: the PKCE verifier stays in main). */
  'azure.sign-in-url': z.strictObject({ url: z.string() }),
} as const;
