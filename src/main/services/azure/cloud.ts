/**
 * Which Azure a session talks to. Public Azure by default; sovereign clouds and the emulator are described by
 * a JSON file `{"name","armEndpoint","authorityHost","scoringScope","caFile"?}` given as `--cloud <file>` or
 * PREFLIGHT_AZURE_CLOUD (like `az cloud register`). The ARM token's scope is `<armEndpoint>/.default`, as for
 * management.azure.com.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { AppError, ErrorCodes } from '@shared/errors';

export interface AzureCloud {
  name: string;
  armEndpoint: string;
  authorityHost: string;
  scoringScope: string;
  /** Extra CA (PEM) to trust for this cloud's HTTPS endpoints (the emulator's per-run CA). */
  caFile?: string;
}

export const PUBLIC_CLOUD: AzureCloud = {
  name: 'AzureCloud',
  armEndpoint: 'https://management.azure.com',
  authorityHost: 'https://login.microsoftonline.com',
  scoringScope: 'https://ml.azure.com/.default',
};

const httpsUrl = z.string().url().refine((u) => u.startsWith('https://'), 'must be an https:// URL');
const CloudFileSchema = z.object({ name: z.string().min(1), armEndpoint: httpsUrl, authorityHost: httpsUrl, scoringScope: z.string().min(1), caFile: z.string().min(1).optional() }).strict();

export async function loadCloudFile(file: string): Promise<AzureCloud> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new AppError(ErrorCodes.NOT_FOUND, `Cannot read the cloud file "${file}" (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError(ErrorCodes.INVALID_FILE, `The cloud file "${file}" is not JSON: ${(err as Error).message}.`);
  }
  const parsed = CloudFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError(ErrorCodes.INVALID_FILE, `The cloud file "${file}" is invalid at ${issue.path.join('.') || '(root)'}: ${issue.message}. Expected {"name","armEndpoint","authorityHost","scoringScope","caFile"?}.`);
  }
  const cloud = { ...parsed.data, armEndpoint: parsed.data.armEndpoint.replace(/\/+$/, ''), authorityHost: parsed.data.authorityHost.replace(/\/+$/, '') };
  return cloud.caFile ? { ...cloud, caFile: resolve(dirname(file), cloud.caFile) } : cloud;
}

export const armScope = (cloud: AzureCloud): string => `${cloud.armEndpoint}/.default`;
