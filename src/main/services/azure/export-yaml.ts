/**
 * "Export what was done" as Azure ML CLI v2 YAML (azure.md §8), so a deployment made in Preflight can live in
 * git and be recreated with `az ml online-endpoint create -f endpoint.yml` / `online-deployment create -f …`.
 * REST → YAML: authMode → auth_mode, ISO 8601 durations → seconds (probes) or ms (request timeout),
 * sku.capacity → instance_count, model ARM id → `azureml:<name>:<version>`. Keys and tokens are never part of it.
 */
import { stringify } from 'yaml';
import type { ArmResource, DeploymentProps, EndpointProps } from './arm/ml-resources';

const SCHEMA = 'https://azuremlschemas.azureedge.net/latest';
const AUTH: Record<string, string> = { Key: 'key', AMLToken: 'aml_token', AADToken: 'aad_token' };

/** Seconds in an ISO 8601 duration such as PT5S, PT1M30S, PT1H (days and larger are not used by Azure ML here). */
export function isoSeconds(d: unknown): number | undefined {
  if (typeof d !== 'string') return undefined;
  const m = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/i.exec(d);
  if (!m || (!m[1] && !m[2] && !m[3])) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function probe(p: unknown): Record<string, number> | undefined {
  if (!p || typeof p !== 'object') return undefined;
  const o = p as Record<string, unknown>;
  const out: Record<string, number | undefined> = { initial_delay: isoSeconds(o.initialDelay), period: isoSeconds(o.period), timeout: isoSeconds(o.timeout), success_threshold: o.successThreshold as number | undefined, failure_threshold: o.failureThreshold as number | undefined };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as Record<string, number>;
}

export function modelReference(armId: string | undefined): string | undefined {
  const m = /\/models\/([^/]+)\/versions\/([^/]+)$/i.exec(armId ?? '');
  return m ? `azureml:${m[1]}:${m[2]}` : armId;
}

export interface YamlFile {
  name: string;
  content: string;
}

export function endpointYaml(endpoint: ArmResource<EndpointProps & { publicNetworkAccess?: string }>, deployments: ArmResource<DeploymentProps>[]): YamlFile[] {
  const ep = endpoint.properties;
  const files: YamlFile[] = [
    {
      name: 'endpoint.yml',
      content: stringify(
        clean({
          $schema: `${SCHEMA}/managedOnlineEndpoint.schema.json`,
          name: endpoint.name,
          description: ep.description,
          tags: endpoint.tags && Object.keys(endpoint.tags).length ? endpoint.tags : undefined,
          auth_mode: AUTH[ep.authMode] ?? ep.authMode,
          public_network_access: ep.publicNetworkAccess?.toLowerCase(),
        }),
      ),
    },
  ];
  for (const d of deployments) {
    const p = d.properties as DeploymentProps & Record<string, unknown>;
    const request = (p.requestSettings ?? {}) as Record<string, unknown>;
    const timeout = isoSeconds(request.requestTimeout);
    files.push({
      name: `deployment-${d.name}.yml`,
      content: stringify(
        clean({
          $schema: `${SCHEMA}/managedOnlineDeployment.schema.json`,
          name: d.name,
          endpoint_name: endpoint.name,
          model: modelReference(p.model),
          instance_type: p.instanceType,
          instance_count: d.sku?.capacity ?? 1,
          request_settings: clean({ request_timeout_ms: timeout === undefined ? undefined : Math.round(timeout * 1000), max_concurrent_requests_per_instance: request.maxConcurrentRequestsPerInstance }),
          liveness_probe: probe(p.livenessProbe),
          readiness_probe: probe(p.readinessProbe),
          environment_variables: p.environmentVariables && Object.keys(p.environmentVariables).length ? p.environmentVariables : undefined,
          egress_public_network_access: typeof p.egressPublicNetworkAccess === 'string' ? p.egressPublicNetworkAccess.toLowerCase() : undefined,
        }),
      ),
    });
  }
  const traffic = ep.traffic && Object.keys(ep.traffic).length ? ep.traffic : null;
  if (traffic) {
    // Traffic cannot be set when an endpoint is created; the CLI sets it afterwards.
    files.push({ name: 'traffic.txt', content: `az ml online-endpoint update --name ${endpoint.name} --traffic "${Object.entries(traffic).map(([k, v]) => `${k}=${v}`).join(' ')}"\n` });
  }
  return files;
}

/** Drops undefined/null values and empty objects; undefined when nothing is left (so YAML omits the key). */
export function clean<T extends Record<string, unknown>>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)));
  return Object.keys(out).length ? (out as T) : undefined;
}
