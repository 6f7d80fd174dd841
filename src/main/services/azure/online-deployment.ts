import { AppError } from '@shared/errors';
import { endedState } from './arm/arm-errors';
import type { DeploymentProps } from './arm/ml-resources';

/** A deployment type that suits a small no-code MLflow model; users pick another with --instance-type. */
export const DEFAULT_INSTANCE_TYPE = 'Standard_DS3_v2';

/**
 * The managed online deployment body Preflight sends (azure.md §3.7): what it runs — a registered model
 * (no-code MLflow) or a packaged environment that carries model and server — plus size, timeouts and probes.
 */
export function onlineDeploymentBody(input: {
  location: string;
  runs: { model: string } | { environmentId: string };
  instanceType?: string;
  instanceCount?: number;
  /** Seconds before the liveness probe starts: long when the container installs packages at start-up. */
  livenessDelaySeconds: number;
}): { location: string; sku: { name: string; capacity: number }; properties: DeploymentProps } {
  return {
    location: input.location,
    sku: { name: 'Default', capacity: input.instanceCount ?? 1 },
    properties: {
      endpointComputeType: 'Managed',
      ...input.runs,
      instanceType: input.instanceType ?? DEFAULT_INSTANCE_TYPE,
      scaleSettings: { scaleType: 'Default' },
      requestSettings: { requestTimeout: 'PT60S', maxConcurrentRequestsPerInstance: 1 },
      livenessProbe: { initialDelay: `PT${input.livenessDelaySeconds}S`, period: 'PT10S', timeout: 'PT2S', successThreshold: 1, failureThreshold: 30 },
      readinessProbe: { initialDelay: 'PT10S', period: 'PT10S', timeout: 'PT2S', successThreshold: 1, failureThreshold: 30 },
    },
  };
}

/**
 * A deployment whose operation ended Failed is still in Azure, under an endpoint that stays too (made by this deploy
 * or not): the error says so and the ways on — its logs, deploying again (an update of the same deployment), or
 * deleting the endpoint — so a half-done deployment is not left behind unnoticed. Other errors pass unchanged.
 */
export function withFailedDeploymentNextSteps(err: unknown, endpoint: string, deployment: string): unknown {
  const state = endedState(err);
  if (state === null || !(err instanceof AppError)) return err;
  const next =
    `Endpoint ${endpoint} stays in Azure with deployment ${deployment} ${state}; its traffic was not changed. ` +
    `Read its container logs (\`preflight azure logs --endpoint ${endpoint} --deployment ${deployment} --container storage-initializer\` or \`--container inference-server\`; Logs under the endpoint in the app), ` +
    `fix the cause and deploy again (it updates ${deployment}), or delete the endpoint (\`preflight azure delete --endpoint ${endpoint}\`; Delete endpoint… in the app).`;
  return new AppError(err.code, `${err.message} ${next}`, { details: err.details, cause: err });
}
