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
