/**
 * A canary's code zip: reading it from the request (ZipFile, or S3Bucket/S3Key through the
 * operator's bucket map), checking that the handler file is in it (with the rule the runtime loads
 * it by), and extracting it for runs. Zip parsing is fflate's.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';
import type { CanaryCodeInput } from '@aws-sdk/client-synthetics';
import { ServiceError } from '../../../protocol/errors.ts';
import type { ExportDestinations } from '../../../store/buckets/sinks.ts';
import type { RuntimeFamily } from '../runtime/job.ts';
import { validation } from '../names.ts';
import { findHandlerEntry, handlerCandidates, parseHandler } from './handler.ts';

/** CreateCanary's ZipFile "must be smaller than 225 Kb" (API reference, CanaryCodeInput). */
export const MAX_INLINE_ZIP = 225 * 1024;
/** A zip read from a bucket: Lambda's 50 MB deployment-package limit. */
export const MAX_S3_ZIP = 50 * 1024 * 1024;
/** Extracted size: Lambda's 250 MB unzipped limit. */
const MAX_UNZIPPED = 250 * 1024 * 1024;

export interface CanaryCode {
  zip: Buffer;
  sha: string;
  /** `arn:aws:s3:::bucket/key` when the code came from a bucket. */
  sourceLocationArn?: string;
}

export async function readCode(input: CanaryCodeInput, buckets: ExportDestinations): Promise<CanaryCode> {
  const hasZip = input.ZipFile !== undefined;
  const hasS3 = input.S3Bucket !== undefined || input.S3Key !== undefined;
  if (hasZip === hasS3) throw validation('Code must specify either ZipFile, or S3Bucket and S3Key.');
  let zip: Buffer;
  let sourceLocationArn: string | undefined;
  if (hasZip) {
    zip = Buffer.from(input.ZipFile!);
    if (zip.length >= MAX_INLINE_ZIP) {
      throw new ServiceError('RequestEntityTooLargeException', `Code.ZipFile is ${zip.length} bytes; it must be smaller than 225 KB. Upload larger code to S3 and use S3Bucket/S3Key.`, { status: 413 });
    }
  } else {
    if (!input.S3Bucket || !input.S3Key) throw validation('Code.S3Bucket and Code.S3Key must both be specified.');
    const sink = buckets.bucket(input.S3Bucket);
    if (!sink) throw validation(`S3 bucket ${input.S3Bucket} is not mapped in this Osprey: add it to export.buckets (OSPREY_EXPORT_BUCKETS) to read canary code from it.`);
    const obj = await sink.get(input.S3Key);
    if (!obj) throw validation(`The code object s3://${input.S3Bucket}/${input.S3Key} does not exist.`);
    if (obj.body.length > MAX_S3_ZIP) throw validation(`The code object is larger than ${MAX_S3_ZIP} bytes.`);
    zip = obj.body;
    sourceLocationArn = `arn:aws:s3:::${input.S3Bucket}/${input.S3Key}${input.S3Version ? `/${input.S3Version}` : ''}`;
  }
  return { zip, sha: createHash('sha256').update(zip).digest('hex'), sourceLocationArn };
}

/** The zip's file names, without inflating anything. */
export function zipEntryNames(zip: Buffer): Set<string> {
  const names = new Set<string>();
  try {
    unzipSync(zip, { filter: (f) => { names.add(f.name); return false; } });
  } catch (e) {
    throw validation(`Code is not a valid zip file: ${(e as Error).message}.`);
  }
  return names;
}

/** Refuses a handler that cannot be split or whose file the zip lacks (AWS checks at create time too). */
export function checkHandler(zip: Buffer, handler: string, family: RuntimeFamily): void {
  const ref = parseHandler(handler);
  if (!ref) throw validation(`Invalid handler: ${handler}. The handler is <file name without extension>.<function name>, e.g. pageLoadBlueprint.handler.`);
  const entries = zipEntryNames(zip);
  if (!findHandlerEntry(family, ref, entries)) {
    throw validation(`The handler file for ${handler} is not in the code zip: expected ${handlerCandidates(family, ref).join(' or ')}.`);
  }
}

/**
 * Extracts the zip under `root/<sha>` once (content-addressed: canaries with the same code share
 * it) and returns that directory. Entries that would land outside it are refused.
 */
export function extractCode(root: string, code: { zip: Buffer; sha: string }): string {
  const dir = join(root, code.sha);
  if (existsSync(join(dir, '.complete'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const files = unzipSync(code.zip);
  let total = 0;
  for (const [name, data] of Object.entries(files)) {
    total += data.length;
    if (total > MAX_UNZIPPED) throw validation('The code zip is larger than 250 MB unzipped.');
    const target = resolve(tmp, name);
    if (!target.startsWith(resolve(tmp) + sep)) throw validation(`The code zip has an entry outside its root: ${name}.`);
    if (name.endsWith('/')) { mkdirSync(target, { recursive: true }); continue; }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, '.complete'), '');
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}
