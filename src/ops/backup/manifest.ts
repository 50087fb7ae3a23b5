/**
 * A backup's manifest (`manifest.json` at its top): what wrote it, the store schema versions it
 * holds, and every file with its size and SHA-256, so `osprey restore` can refuse a truncated,
 * tampered or foreign directory before it writes anything.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { SchemaVersions } from '../schema-versions.ts';

export const MANIFEST_FILE = 'manifest.json';
const FORMAT = 'osprey-backup';
const FORMAT_VERSION = 1;

export interface ManifestFile {
  /** Relative to the backup directory, `/`-separated. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface BackupManifest {
  format: typeof FORMAT;
  formatVersion: number;
  ospreyVersion: string;
  createdAt: string;
  /** 'online': taken by a running server; 'offline': by the CLI holding the data-directory lock. */
  mode: 'online' | 'offline';
  sourceDataDir: string;
  schema: SchemaVersions;
  files: ManifestFile[];
}

/** A backup directory that cannot be restored, with what is wrong in it. */
export class BackupInvalidError extends Error {}

/** Every regular file below `dir` (relative, `/`-separated, sorted), the manifest excluded. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((p) => p !== MANIFEST_FILE)
    .sort();
}

async function sha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function describe(dir: string, path: string): Promise<ManifestFile> {
  const file = join(dir, path);
  return { path, bytes: (await stat(file)).size, sha256: await sha256(file) };
}

/** Hashes every file in `dir` and writes its manifest; returns it. */
export async function writeManifest(dir: string, about: Omit<BackupManifest, 'format' | 'formatVersion' | 'files'>): Promise<BackupManifest> {
  const files: ManifestFile[] = [];
  for (const path of await listFiles(dir)) files.push(await describe(dir, path));
  const manifest: BackupManifest = { format: FORMAT, formatVersion: FORMAT_VERSION, ...about, files };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function readManifest(dir: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch (e) {
    throw new BackupInvalidError(`${dir} is not an Osprey backup: no readable ${MANIFEST_FILE} (${(e as Error).message})`);
  }
  let m: Partial<BackupManifest>;
  try {
    m = JSON.parse(text) as Partial<BackupManifest>;
  } catch (e) {
    throw new BackupInvalidError(`${join(dir, MANIFEST_FILE)} is not valid JSON: ${(e as Error).message}`);
  }
  if (m.format !== FORMAT || !Array.isArray(m.files) || typeof m.schema !== 'object') {
    throw new BackupInvalidError(`${join(dir, MANIFEST_FILE)} is not an Osprey backup manifest`);
  }
  if (m.formatVersion !== FORMAT_VERSION) {
    throw new BackupInvalidError(`backup format version ${String(m.formatVersion)} is not supported by this build (it reads version ${FORMAT_VERSION})`);
  }
  return m as BackupManifest;
}

/**
 * Reads the manifest and checks the directory against it: every listed file present with its size
 * and checksum, no file that is not listed. Throws BackupInvalidError naming the first problems.
 */
export async function verifyBackup(dir: string): Promise<BackupManifest> {
  const manifest = await readManifest(dir);
  const problems: string[] = [];
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const path of await listFiles(dir)) if (!listed.has(path)) problems.push(`${path}: not in the manifest`);
  for (const f of manifest.files) {
    let actual: ManifestFile;
    try {
      actual = await describe(dir, f.path);
    } catch {
      problems.push(`${f.path}: missing`);
      continue;
    }
    if (actual.bytes !== f.bytes) problems.push(`${f.path}: ${actual.bytes} bytes, manifest says ${f.bytes}`);
    else if (actual.sha256 !== f.sha256) problems.push(`${f.path}: checksum differs from the manifest`);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ');
    throw new BackupInvalidError(`backup ${dir} fails verification (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${shown}${problems.length > 5 ? '; …' : ''}`);
  }
  return manifest;
}
