/**
 * More of "export what was done" as Azure ML CLI v2 YAML (azure.md §8): the registered model
 * (`az ml model create -f`), and a batch endpoint with its MLflow model deployments
 * (`az ml batch-endpoint create -f`, `az ml batch-deployment create -f`, schema modelBatchDeployment).
 * REST → YAML: AADToken → aad_token, compute ARM id → `azureml:<cluster>`, ISO 8601 timeout → seconds,
 * AppendRow → append_row, Info → info. No keys, tokens or storage credentials are part of it.
 */
import { stringify } from 'yaml';
import type { BatchDeploymentProps, BatchEndpointProps } from './arm/batch-resources';
import type { ArmResource, ModelVersionProps, WorkspaceRef } from './arm/ml-resources';
import { clean, isoSeconds, modelReference, type YamlFile } from './export-yaml';

const SCHEMA = 'https://azuremlschemas.azureedge.net/latest';

const snake = (s: string | undefined): string | undefined => s?.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** model-<name>-<version>.yml: registers the same files again (`path` is the datastore folder the version points at). */
export function modelYaml(name: string, version: ArmResource<ModelVersionProps>): YamlFile {
  const p = version.properties;
  return {
    name: `model-${name}-${version.name}.yml`,
    content: stringify(
      clean({
        $schema: `${SCHEMA}/model.schema.json`,
        name,
        version: version.name,
        type: p.modelType,
        path: p.modelUri,
        description: p.description,
        tags: p.tags && Object.keys(p.tags).length ? p.tags : undefined,
      }),
    ),
  };
}

/** The cluster's name from its ARM id, as the YAML names it. */
export function computeReference(id: string | null | undefined): string | undefined {
  const m = /\/computes\/([^/]+)$/i.exec(id ?? '');
  return m ? `azureml:${decodeURIComponent(m[1]!)}` : (id ?? undefined);
}

export function batchEndpointYaml(endpoint: ArmResource<BatchEndpointProps>, deployments: ArmResource<BatchDeploymentProps>[]): YamlFile[] {
  const ep = endpoint.properties;
  const files: YamlFile[] = [
    {
      name: 'batch-endpoint.yml',
      content: stringify(
        clean({
          $schema: `${SCHEMA}/batchEndpoint.schema.json`,
          name: endpoint.name,
          description: ep.description,
          tags: endpoint.tags && Object.keys(endpoint.tags).length ? endpoint.tags : undefined,
          auth_mode: 'aad_token',
          // The default deployment must exist before the endpoint can name it: `az ml batch-endpoint update` after creating it.
          defaults: ep.defaults?.deploymentName ? { deployment_name: ep.defaults.deploymentName } : undefined,
        }),
      ),
    },
  ];
  for (const d of deployments) {
    const p = d.properties;
    const timeout = isoSeconds(p.retrySettings?.timeout);
    files.push({
      name: `batch-deployment-${d.name}.yml`,
      content: stringify(
        clean({
          $schema: `${SCHEMA}/modelBatchDeployment.schema.json`,
          name: d.name,
          endpoint_name: endpoint.name,
          type: 'model',
          description: p.description,
          model: modelReference(p.model?.assetId),
          compute: computeReference(p.compute),
          resources: clean({ instance_count: p.resources?.instanceCount, instance_type: p.resources?.instanceType ?? undefined }),
          settings: clean({
            max_concurrency_per_instance: p.maxConcurrencyPerInstance,
            mini_batch_size: p.miniBatchSize,
            error_threshold: p.errorThreshold,
            logging_level: p.loggingLevel?.toLowerCase(),
            retry_settings: clean({ max_retries: p.retrySettings?.maxRetries, timeout }),
            output_action: snake(p.outputAction),
            output_file_name: p.outputFileName,
          }),
        }),
      ),
    });
  }
  return files;
}

/** model-*.yml for each distinct model version the deployments use (read from the workspace). */
export async function modelYamlFiles(ml: { modelVersions(ref: WorkspaceRef, name: string): Promise<ArmResource<ModelVersionProps>[]> }, ref: WorkspaceRef, modelIds: (string | null | undefined)[]): Promise<YamlFile[]> {
  const files: YamlFile[] = [];
  const seen = new Set<string>();
  for (const id of modelIds) {
    const m = /\/models\/([^/]+)\/versions\/([^/]+)$/i.exec(id ?? '');
    if (!m || seen.has(`${m[1]}:${m[2]}`)) continue;
    seen.add(`${m[1]}:${m[2]}`);
    const version = (await ml.modelVersions(ref, decodeURIComponent(m[1]!))).find((v) => v.name === decodeURIComponent(m[2]!));
    if (version) files.push(modelYaml(decodeURIComponent(m[1]!), version));
  }
  return files;
}
