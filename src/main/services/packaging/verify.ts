/**
 * `preflight verify`: unpacks a package into a fresh temp folder (streamed; nothing is written anywhere
 * else, and the folder is removed at the end), refusing entries that could escape it — absolute names,
 * `..`, backslashes, symlinks/hardlinks/devices, duplicates — then recomputes every hash, checks that the
 * manifest lists exactly the files present, and re-runs the offline resolution over the package's own
 * wheels. PASS only when every check holds; each failure is one precise reason.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm, stat, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import { AppError, ErrorCodes } from '@shared/errors';
import { PackageManifestSchema, type ManifestFile, type PackageManifest, type PackageVerifyReport, type ResolutionProof } from '@shared/packaging/package-report';
import { MAX_WALK_ENTRIES } from '../model/file-tree';
import { formatBytes } from '../model/safe-fs';
import { hashingTap } from './hash-file';
import { hasControlCharacter } from './model-files';
import { resolveOffline, scanWheelhouse, type RootRequirement } from './resolver';
import { formatCount } from '@shared/format-count';

class ArchiveRejected extends Error {}

/** An unpacked entry, recorded as the manifest records files, so the two compare field by field. */
type Extracted = ManifestFile;

/** An archive entry name is safe when it is a relative POSIX path with no `..`, `.` or empty segments. */
export function unsafeEntryReason(name: string): string | null {
  if (name.length === 0) return 'an entry has an empty name';
  if (name.includes('\\')) return `entry "${name}" contains a backslash (a Windows path separator): it could land outside the folder on Windows`;
  if (hasControlCharacter(name)) return `entry ${JSON.stringify(name)} contains a control character`;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `entry "${name}" has an absolute path (zip-slip): it would be written outside the folder it is unpacked into`;
  const parts = name.replace(/\/$/, '').split('/');
  if (parts.some((p) => p === '..')) return `entry "${name}" climbs out with ".." (zip-slip): it would be written outside the folder it is unpacked into`;
  if (parts.some((p) => p === '' || p === '.')) return `entry "${name}" has an empty or "." path segment`;
  return null;
}

/**
 * More files than this is no package Preflight made (the model folder — whose listing stops at MAX_WALK_ENTRIES —,
 * its wheels and a manifest): an archive of 300 000 empty files kept `verify` unpacking for minutes (a file costs
 * about a millisecond on disk here). It is refused when it gets there.
 */
export const MAX_ARCHIVE_FILES = MAX_WALK_ENTRIES + 10_000;

/**
 * What an archive may unpack to is decided from the sizes its entries declare (tar headers, the zip central directory,
 * both known before a byte of the entry is written) against the temp folder's disk, not from the compression ratio
 * alone: zero-initialised or pruned weights gzip 1000× and more, so "more than 100× the archive" refused a real 1.5 GiB
 * package. The rule:
 * - never more than the disk has free, less FREE_SPACE_RESERVE_BYTES (any archive);
 * - an archive that unpacks to more than MAX_EXPANSION × its size and past EXPANSION_FLOOR_BYTES is suspect (it may be
 *   a bomb): it may take at most half of that, so a bomb can never fill the disk, while a mostly-zero package of
 *   N GiB unpacks wherever 2·N GiB is free;
 * - when the system cannot say what is free (statfs fails), a suspect archive is refused past the floor, as before.
 * A zip's declared total is checked before anything is written (its central directory lists every entry first);
 * a tar.gz's entry by entry, as its headers arrive. yauzl and tar-stream make an entry that holds more than it
 * declared fail, so the declared sizes bound what is written.
 */
export const MAX_EXPANSION = 100;
export const EXPANSION_FLOOR_BYTES = 1024 ** 3;
/** Left free on the temp folder's disk whatever the archive says. */
const FREE_SPACE_RESERVE_BYTES = 256 * 1024 * 1024;

/** What unpacking may still write (see MAX_EXPANSION for the rule). */
interface UnpackBudget {
  archiveBytes: number;
  /** Free bytes on the temp folder's disk less the reserve; null when the system cannot say. */
  diskLimit: number | null;
  written: number;
}

async function unpackBudget(archiveBytes: number, root: string): Promise<UnpackBudget> {
  const fs = await statfs(root).catch(() => null);
  return { archiveBytes, diskLimit: fs ? Math.max(0, fs.bavail * fs.bsize - FREE_SPACE_RESERVE_BYTES) : null, written: 0 };
}

/** Refuses unpacking to `total` bytes (what is written so far plus what `what` declares), or returns. */
function checkTotal(budget: UnpackBudget, what: string, total: number): void {
  const suspect = total > EXPANSION_FLOOR_BYTES && total > budget.archiveBytes * MAX_EXPANSION;
  const ratio = `from a ${formatBytes(budget.archiveBytes)} archive, more than ${MAX_EXPANSION}× its size`;
  if (budget.diskLimit === null) {
    if (suspect) {
      throw new ArchiveRejected(
        `${what} would unpack to ${formatBytes(total)} ${ratio}, and the free space in ${tmpdir()} cannot be read: ` +
          'this may be a decompression bomb, so it was not unpacked further. Verify it on a system that reports free space',
      );
    }
    return;
  }
  if (total > budget.diskLimit) {
    throw new ArchiveRejected(
      `${what} would unpack to ${formatBytes(total)}${suspect ? ` ${ratio} (a decompression bomb?)` : ''}, more than the ${formatBytes(budget.diskLimit)} free in ${tmpdir()} (less a ${formatBytes(FREE_SPACE_RESERVE_BYTES)} reserve), so it was not unpacked further. ` +
        'Free some space, or point TMPDIR at a larger disk',
    );
  }
  if (suspect && total > budget.diskLimit / 2) {
    throw new ArchiveRejected(
      `${what} would unpack to ${formatBytes(total)} ${ratio}, and to more than half of the ${formatBytes(budget.diskLimit)} free in ${tmpdir()}: ` +
        'this is treated as a decompression bomb and was not unpacked further. A real package this compressible (mostly-zero weights) unpacks where twice its size is free: free some space, or point TMPDIR at a larger disk',
    );
  }
}

/** Refuses an entry from its declared size (tar header, zip central directory) before any of it is written. */
function spend(budget: UnpackBudget, name: string, size: number): void {
  const total = budget.written + size;
  checkTotal(budget, `entry "${name}"`, total);
  budget.written = total;
}

async function writeEntry(root: string, name: string, size: number, source: Readable, seen: Map<string, Extracted>, maxFiles: number, budget: UnpackBudget): Promise<void> {
  const reason = unsafeEntryReason(name);
  if (reason) throw new ArchiveRejected(reason);
  if (seen.has(name)) throw new ArchiveRejected(`entry "${name}" appears twice: a later copy could silently replace the verified one`);
  if (seen.size >= maxFiles) throw new ArchiveRejected(`the archive holds more than ${formatCount(maxFiles)} files; a package Preflight makes holds the model folder, its wheels and a manifest (hundreds), so it was not unpacked further`);
  spend(budget, name, size);
  const dest = resolve(root, name);
  if (!dest.startsWith(root + sep)) throw new ArchiveRejected(`entry "${name}" resolves outside the unpack folder (zip-slip)`);
  await mkdir(dirname(dest), { recursive: true });
  const { tap, digest } = hashingTap();
  await pipeline(source, tap, createWriteStream(dest, { flags: 'wx' }));
  seen.set(name, { path: name, ...digest() });
}

function describeStreamError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/unexpected end of file|Unexpected end of data|premature close/i.test(msg)) return `the archive is truncated (${msg})`;
  if (/incorrect header check|invalid (block type|distance|stored block)|invalid code/i.test(msg)) return `the archive is corrupt: gzip data is damaged (${msg})`;
  return `the archive is corrupt (${msg})`;
}

async function extractTarGz(file: string, root: string, seen: Map<string, Extracted>, maxFiles: number, budget: UnpackBudget, signal?: AbortSignal): Promise<void> {
  const extract = tar.extract();
  const input = pipeline(createReadStream(file, { signal }), createGunzip(), extract as unknown as NodeJS.WritableStream);
  // Observed at once: a gzip error can arrive while the loop below waits for an entry.
  input.catch(() => {});
  let ended = false;
  try {
    for await (const entry of extract) {
      const h = entry.header;
      if (h.type === 'directory') {
        const reason = unsafeEntryReason(h.name);
        if (reason) throw new ArchiveRejected(reason);
        entry.resume();
        continue;
      }
      if (h.type === 'symlink' || h.type === 'link') throw new ArchiveRejected(`entry "${h.name}" is a ${h.type === 'symlink' ? 'symlink' : 'hard link'} to "${h.linkname ?? ''}": a package holds regular files only, and a link could point outside the folder it is unpacked into`);
      if (h.type !== 'file' && h.type !== 'contiguous-file') throw new ArchiveRejected(`entry "${h.name}" is a ${h.type} entry; a package holds regular files only`);
      // tar-stream hands out exactly the header's size (a PAX size included), so the declared size is what is written.
      await writeEntry(root, h.name, h.size ?? 0, entry as unknown as Readable, seen, maxFiles, budget);
    }
    ended = true;
    await input;
  } catch (err) {
    if (!ended) (extract as unknown as { destroy(e?: Error): void }).destroy();
    await input.catch(() => {});
    if (err instanceof ArchiveRejected) throw err;
    throw new ArchiveRejected(describeStreamError(err));
  }
}

/** The sum of the sizes a zip's central directory declares, read without opening an entry's data. */
async function zipDeclaredBytes(file: string, maxFiles: number): Promise<number> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) =>
    yauzl.open(file, { lazyEntries: true, autoClose: true, decodeStrings: true }, (err, z) => (err || !z ? rej(new ArchiveRejected(describeZipError(err))) : res(z))),
  );
  return new Promise<number>((res, rej) => {
    let total = 0;
    let count = 0;
    zip.on('error', (e: unknown) => rej(e instanceof ArchiveRejected ? e : new ArchiveRejected(describeZipError(e))));
    zip.on('end', () => res(total));
    zip.on('entry', (entry: yauzl.Entry) => {
      total += entry.uncompressedSize;
      // Past the file cap the real pass refuses anyway; the sum so far is enough.
      if (++count > maxFiles) {
        zip.close();
        res(total);
        return;
      }
      zip.readEntry();
    });
    zip.readEntry();
  });
}

async function extractZip(file: string, root: string, seen: Map<string, Extracted>, maxFiles: number, budget: UnpackBudget): Promise<void> {
  // Many entries of zeros add up: the whole declared total is checked before the first is written.
  checkTotal(budget, 'the archive', await zipDeclaredBytes(file, maxFiles));
  const zip = await new Promise<yauzl.ZipFile>((res, rej) =>
    yauzl.open(file, { lazyEntries: true, autoClose: true, validateEntrySizes: true, strictFileNames: true, decodeStrings: true }, (err, z) => (err || !z ? rej(new ArchiveRejected(describeZipError(err))) : res(z))),
  );
  await new Promise<void>((res, rej) => {
    const fail = (e: unknown): void => {
      zip.close();
      rej(e instanceof ArchiveRejected ? e : new ArchiveRejected(describeZipError(e)));
    };
    zip.on('error', fail);
    zip.on('end', () => res());
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileName;
      const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
      if (mode === 0o120000) return fail(new ArchiveRejected(`entry "${name}" is a symlink: a package holds regular files only, and a link could point outside the folder it is unpacked into`));
      if (name.endsWith('/')) {
        const reason = unsafeEntryReason(name);
        if (reason) return fail(new ArchiveRejected(reason));
        zip.readEntry();
        return;
      }
      const reason = unsafeEntryReason(name);
      if (reason) return fail(new ArchiveRejected(reason));
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return fail(err);
        // validateEntrySizes makes the stream fail if it holds more or less than the declared uncompressedSize.
        writeEntry(root, name, entry.uncompressedSize, stream, seen, maxFiles, budget).then(() => zip.readEntry(), fail);
      });
    });
    zip.readEntry();
  });
}

function describeZipError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/invalid relative path|absolute path/i.test(msg)) return `an entry would be written outside the folder it is unpacked into (zip-slip): ${msg}`;
  if (/end of central directory|unexpected EOF|too short|truncated/i.test(msg)) return `the archive is truncated or is not a zip (${msg})`;
  return `the archive is corrupt (${msg})`;
}

async function detectFormat(file: string): Promise<'tar.gz' | 'zip' | null> {
  const h = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    await h.read(buf, 0, 4, 0);
    if (buf[0] === 0x1f && buf[1] === 0x8b) return 'tar.gz';
    if (buf[0] === 0x50 && buf[1] === 0x4b) return 'zip';
    return null;
  } finally {
    await h.close();
  }
}

const REQUIRED = ['model/MLmodel', 'environment/requirements.txt', 'environment/lock.json', 'environment/resolution-proof.json', 'deploy/Dockerfile', 'deploy/model.yml', 'deploy/environment.yml', 'deploy/deployment.yml', 'README.md'];

export interface VerifyOptions {
  toolVersion: string;
  signal?: AbortSignal;
  /** Runs on a PASS while the unpacked package still exists (its folder is removed right after): the In-Azure step. */
  onPass?: (root: string, report: PackageVerifyReport) => Promise<void>;
  /** Files unpacked at most (default MAX_ARCHIVE_FILES; tests use a small one). */
  maxFiles?: number;
}

export async function verifyPackage(file: string, opts: VerifyOptions): Promise<PackageVerifyReport> {
  const checks: PackageVerifyReport['checks'] = [];
  const reasons: string[] = [];
  let manifest: PackageManifest | null = null;
  let proof: ResolutionProof | null = null;
  const check = (name: string, ok: boolean, detail: string, reason?: string): void => {
    checks.push({ name, ok, detail });
    if (!ok) reasons.push(reason ?? detail);
  };
  const report = (): PackageVerifyReport => ({ package: file, verdict: reasons.length === 0 && checks.length > 0 ? 'PASS' : 'FAIL', checks, reasons, manifest, proof });

  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) {
    check('archive', false, `${file} does not exist or is not a file.`);
    return report();
  }
  const format = await detectFormat(file);
  if (!format) {
    check('archive', false, `${file} is neither a .tar.gz nor a .zip (its first bytes are not a gzip or zip signature).`);
    return report();
  }
  const root = await mkdtemp(join(tmpdir(), 'preflight-verify-'));
  try {
    const seen = new Map<string, Extracted>();
    try {
      const maxFiles = opts.maxFiles ?? MAX_ARCHIVE_FILES;
      const budget = await unpackBudget(info.size, root);
      if (format === 'tar.gz') await extractTarGz(file, root, seen, maxFiles, budget, opts.signal);
      else await extractZip(file, root, seen, maxFiles, budget);
      check('archive', true, `${format}: ${seen.size} files unpacked into a temporary folder.`);
    } catch (err) {
      if (opts.signal?.aborted) throw new AppError(ErrorCodes.CANCELLED, 'Cancelled while unpacking the package.');
      check('archive', false, err instanceof ArchiveRejected ? `Rejected: ${err.message}.` : String(err));
      return report();
    }

    const manifestEntry = seen.get('manifest.json');
    if (!manifestEntry) {
      check('manifest', false, 'manifest.json is missing: nothing says what the package should contain.');
      return report();
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(join(root, 'manifest.json'), 'utf8'));
    } catch (err) {
      check('manifest', false, `manifest.json is not JSON: ${err instanceof Error ? err.message : String(err)}.`);
      return report();
    }
    const m = PackageManifestSchema.safeParse(parsed);
    if (!m.success) {
      const issue = m.error.issues[0]!;
      check('manifest', false, `manifest.json is not a Preflight manifest: ${issue.path.join('.') || '(root)'}: ${issue.message}.`);
      return report();
    }
    manifest = m.data;
    check('manifest', true, `made by preflight ${manifest.tool.version} on ${manifest.createdAt} for CPython ${manifest.target.python} ${manifest.target.platform} (${manifest.target.deployment}).`);

    const listed = new Set(manifest.files.map((f) => f.path));
    const bad: string[] = [];
    for (const f of manifest.files) {
      const got = seen.get(f.path);
      if (!got) bad.push(`${f.path} is listed in manifest.json but missing from the archive`);
      else if (got.size !== f.size) bad.push(`${f.path} is ${got.size} bytes, manifest.json says ${f.size} (changed or truncated)`);
      else if (got.sha256 !== f.sha256) bad.push(`${f.path} has SHA-256 ${got.sha256.slice(0, 12)}…, manifest.json says ${f.sha256.slice(0, 12)}… (its content was changed)`);
    }
    const extra = [...seen.keys()].filter((p) => p !== 'manifest.json' && !listed.has(p));
    check('hashes', bad.filter((b) => !b.includes('missing')).length === 0, bad.filter((b) => !b.includes('missing')).join('; ') || `${manifest.files.length} files match their SHA-256 and size.`);
    const missing = bad.filter((b) => b.includes('missing'));
    const layoutMissing = REQUIRED.filter((p) => !seen.has(p));
    const completeOk = missing.length === 0 && extra.length === 0 && layoutMissing.length === 0;
    check(
      'completeness',
      completeOk,
      completeOk
        ? 'every file listed is present, nothing unlisted was added, and model/, environment/, wheels/, deploy/, README.md are there.'
        : [...missing, ...extra.map((p) => `${p} is in the archive but not in manifest.json (added after packaging)`), ...layoutMissing.map((p) => `${p} is missing (every package has it)`)].join('; '),
    );

    if (!seen.has('environment/lock.json')) return report();
    let lock: { roots: RootRequirement[]; packages: { name: string; version: string; wheel: string; sha256: string }[] };
    try {
      lock = JSON.parse(await readFile(join(root, 'environment/lock.json'), 'utf8')) as typeof lock;
      if (!Array.isArray(lock.roots) || !Array.isArray(lock.packages)) throw new Error('roots or packages is not a list');
    } catch (err) {
      check('resolution', false, `environment/lock.json is unreadable: ${err instanceof Error ? err.message : String(err)}.`);
      return report();
    }
    const wheelsDir = join(root, 'wheels');
    const wheelhouse = await scanWheelhouse((await stat(wheelsDir).catch(() => null))?.isDirectory() ? wheelsDir : null);
    proof = await resolveOffline(lock.roots, wheelhouse, manifest.target, { signal: opts.signal });
    const drift = lock.packages.filter((p) => !proof!.packages.some((q) => `wheels/${q.wheel}` === p.wheel && q.sha256 === p.sha256));
    const resolutionOk = proof.ok && drift.length === 0;
    check(
      'resolution',
      resolutionOk,
      resolutionOk
        ? `${proof.packages.length} packages resolve offline from wheels/ for CPython ${manifest.target.python} ${manifest.target.platform}; no network needed.`
        : [...proof.gaps.map((g) => `${g.message} (needed by ${g.chain.join(' → ')})`), ...drift.map((p) => `lock.json names ${p.wheel} but the resolution now picks ${proof!.packages.find((q) => q.project === p.name)?.wheel ?? 'nothing'}`)].join('; '),
    );
    const final = report();
    if (final.verdict === 'PASS' && opts.onPass) await opts.onPass(root, final);
    return final;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
