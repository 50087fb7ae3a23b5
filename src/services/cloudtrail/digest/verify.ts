/**
 * Checking one digest object and one log file the way `aws cloudtrail validate-logs` does; the
 * reasons are its wording ("INVALID: <reason>"). Pure: the caller fetches objects and public keys.
 */
import { gunzipSync } from 'node:zlib';
import type { StoredObject } from '../../../store/buckets/sinks.ts';
import { REQUIRED_DIGEST_MEMBERS, sha256Hex, signingString, type DigestFile, type DigestLogFile } from './format.ts';
import { verifyHex } from './keys.ts';

export type DigestCheck = { ok: true; digest: DigestFile } | { ok: false; reason: string };

/** fingerprint → PKCS #1 DER public key. */
export type PublicKeys = ReadonlyMap<string, Buffer>;

export function checkDigest(bucket: string, key: string, obj: StoredObject, keys: PublicKeys, region: string): DigestCheck {
  let inflated: Buffer;
  let digest: DigestFile;
  try {
    inflated = gunzipSync(obj.body);
    digest = JSON.parse(inflated.toString('utf8')) as DigestFile;
  } catch {
    return { ok: false, reason: 'invalid format' };
  }
  const signature = obj.metadata.signature;
  if (signature === undefined || obj.metadata['signature-algorithm'] === undefined) {
    return { ok: false, reason: 'signature verification failed' };
  }
  if (typeof digest !== 'object' || digest === null || REQUIRED_DIGEST_MEMBERS.some((m) => !(m in digest))) {
    return { ok: false, reason: 'invalid format' };
  }
  if (digest.digestS3Bucket !== bucket || digest.digestS3Object !== key) {
    return { ok: false, reason: 'has been moved from its original location' };
  }
  const publicKey = keys.get(digest.digestPublicKeyFingerprint);
  if (!publicKey) {
    return { ok: false, reason: `public key not found in region ${region} for fingerprint ${digest.digestPublicKeyFingerprint}` };
  }
  if (!verifyHex(publicKey, signingString(digest, inflated), signature)) {
    return { ok: false, reason: 'signature verification failed' };
  }
  return { ok: true, digest };
}

/** undefined = valid; otherwise validate-logs' reason. */
export function checkLogFile(entry: DigestLogFile, obj: StoredObject | undefined): string | undefined {
  if (!obj) return 'not found';
  let content: Buffer;
  try {
    content = gunzipSync(obj.body);
  } catch {
    return 'invalid format';
  }
  return sha256Hex(content) === entry.hashValue ? undefined : "hash value doesn't match";
}
