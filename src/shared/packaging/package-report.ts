/**
 * Shapes of the offline package (issue 9): the resolution proof, the manifest, the build summary and
 * the verify report. Shared so the CLI's `--json`, the contract and the Package view read one definition.
 */
import { z } from 'zod';

export const PackageTargetSchema = z.strictObject({
  python: z.string(),
  platform: z.string(),
  /** `online` (managed online endpoint) or `batch` (batch endpoint): decides the deploy/ YAML. */
  deployment: z.enum(['online', 'batch']),
});
export type PackageTarget = z.infer<typeof PackageTargetSchema>;

export const GapKindSchema = z.enum([
  'missing-wheel', // no wheel of that project at all
  'no-matching-version', // wheels exist, none satisfies the specifiers
  'incompatible-wheel', // versions fit, tags (python / ABI / platform) do not
  'requires-python', // the wheel's Requires-Python excludes the target
  'conflict', // a later requirement excludes the version already chosen
  'unreadable-wheel', // not a zip, no METADATA, name/version disagree with the file name
  'unsupported-requirement', // URL / VCS / local path / unparsable line
]);
export type GapKind = z.infer<typeof GapKindSchema>;

export const ResolutionGapSchema = z.strictObject({
  kind: GapKindSchema,
  /** Normalised project name ('' when the line could not be read). */
  project: z.string(),
  requirement: z.string(),
  /** Who needs it, root first: `environment: mlflow==2.16.2` → `mlflow 2.16.2 requires numpy<2`. */
  chain: z.array(z.string()),
  message: z.string(),
  /** Wheels that were considered and why each was refused. */
  rejected: z.array(z.strictObject({ wheel: z.string(), reason: z.string() })),
});
export type ResolutionGap = z.infer<typeof ResolutionGapSchema>;

export const ResolvedPackageSchema = z.strictObject({
  project: z.string(),
  version: z.string(),
  wheel: z.string(),
  sha256: z.string(),
  /** The PEP 425 tag of the wheel that matched the target best. */
  tag: z.string(),
  extras: z.array(z.string()),
  requiredBy: z.array(z.array(z.string())),
});
export type ResolvedPackage = z.infer<typeof ResolvedPackageSchema>;

export const RequirementCheckSchema = z.strictObject({
  requirement: z.string(),
  chain: z.array(z.string()),
  status: z.enum(['satisfied', 'excluded-by-marker', 'gap']),
  /** For excluded-by-marker: the marker and that it is false for the target. */
  note: z.string().nullable(),
});
export type RequirementCheck = z.infer<typeof RequirementCheckSchema>;

export const ResolutionProofSchema = z.strictObject({
  target: z.strictObject({ python: z.string(), platform: z.string() }),
  ok: z.boolean(),
  packages: z.array(ResolvedPackageSchema),
  requirements: z.array(RequirementCheckSchema),
  gaps: z.array(ResolutionGapSchema),
  /** Wheels in the wheelhouse nothing needed (not copied into the package). */
  unusedWheels: z.array(z.string()),
  notes: z.array(z.string()),
});
export type ResolutionProof = z.infer<typeof ResolutionProofSchema>;

/** A file by its path, size and sha256: a manifest line, an entry written into an archive, an entry read back. */
export const ManifestFileSchema = z.strictObject({ path: z.string(), size: z.number().int().nonnegative(), sha256: z.string() });
export type ManifestFile = z.infer<typeof ManifestFileSchema>;
export const PackageManifestSchema = z.strictObject({
  format: z.literal('preflight-offline-package/1'),
  tool: z.strictObject({ name: z.literal('preflight'), version: z.string() }),
  createdAt: z.string(),
  model: z.strictObject({ uuid: z.string().nullable(), name: z.string(), flavors: z.array(z.string()) }),
  target: PackageTargetSchema,
  files: z.array(ManifestFileSchema),
});
export type PackageManifest = z.infer<typeof PackageManifestSchema>;

export const PackageStepSchema = z.enum(['inspect', 'resolve', 'write', 'done']);
export const PackageProgressSchema = z.strictObject({
  operationId: z.string(),
  step: PackageStepSchema,
  /** Bytes hashed and written so far / in total (total known once the file list is made). */
  bytesDone: z.number().int().nonnegative(),
  bytesTotal: z.number().int().nonnegative(),
  file: z.string().nullable(),
});
export type PackageProgress = z.infer<typeof PackageProgressSchema>;

export const PackageBuildSummarySchema = z.strictObject({
  operationId: z.string(),
  status: z.enum(['succeeded', 'failed', 'cancelled']),
  out: z.string(),
  format: z.enum(['tar.gz', 'zip']),
  /** Size of the archive written; 0 when none was. */
  bytes: z.number().int().nonnegative(),
  files: z.number().int().nonnegative(),
  proof: ResolutionProofSchema.nullable(),
  /** Why the package was not written (status failed). */
  error: z.string().nullable(),
  ms: z.number().nonnegative(),
});
export type PackageBuildSummary = z.infer<typeof PackageBuildSummarySchema>;

export const VerifyCheckSchema = z.strictObject({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
});
export const PackageVerifyReportSchema = z.strictObject({
  package: z.string(),
  verdict: z.enum(['PASS', 'FAIL']),
  checks: z.array(VerifyCheckSchema),
  /** Every reason for FAIL, most important first. */
  reasons: z.array(z.string()),
  manifest: PackageManifestSchema.nullable(),
  proof: ResolutionProofSchema.nullable(),
});
export type PackageVerifyReport = z.infer<typeof PackageVerifyReportSchema>;
