/**
 * The SNS message-signing identity: an RSA key and a self-signed X.509 certificate, made once and
 * kept under `<dataDir>/keys/`. Receivers fetch the certificate from SigningCertURL and verify the
 * Signature of every message with it, exactly as they do with AWS's.
 *
 * The certificate is built with a few lines of DER (node:crypto makes keys and signs, but does not
 * issue certificates). Each file is written kill -9 safe (temp file, fsync, rename, fsync the
 * directory); the certificate is derived from the key, so a crash between the two writes is
 * repaired on the next start by issuing the certificate again.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const KEY_FILE = 'sns-signing-key.pem';
export const CERT_FILE = 'sns-signing-cert.pem';

export interface SigningIdentity {
  privateKey: KeyObject;
  certificatePem: string;
  /** Hex SHA-256 of the certificate (DER), first 32 characters: names the certificate in its URL. */
  fingerprint: string;
}

/** Loads the key and certificate from `dir`, creating whichever is missing (or no longer matches). */
export function loadOrCreateSigningIdentity(dir: string, now = Date.now()): SigningIdentity {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, KEY_FILE);
  const certPath = join(dir, CERT_FILE);
  let privateKey: KeyObject;
  if (existsSync(keyPath)) {
    privateKey = createPrivateKey(readFileSync(keyPath, 'utf8'));
  } else {
    privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    writeFileAtomic(dir, KEY_FILE, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
  }
  let certificatePem: string | undefined;
  if (existsSync(certPath)) {
    const pem = readFileSync(certPath, 'utf8');
    try {
      if (new X509Certificate(pem).checkPrivateKey(privateKey)) certificatePem = pem;
    } catch {
      certificatePem = undefined;
    }
  }
  if (!certificatePem) {
    certificatePem = selfSignedCertificate(privateKey, now);
    writeFileAtomic(dir, CERT_FILE, certificatePem, 0o644);
  }
  const der = new X509Certificate(certificatePem).raw;
  return { privateKey, certificatePem, fingerprint: createHash('sha256').update(der).digest('hex').slice(0, 32) };
}

function writeFileAtomic(dir: string, name: string, text: string, mode: number): void {
  const tmp = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, name));
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Directories cannot be opened for fsync on every platform; the rename is still atomic.
  }
}

// ---- a minimal DER writer, enough for one self-signed certificate ----

function tlv(tag: number, body: Buffer): Buffer {
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const nul = () => Buffer.from([0x05, 0x00]);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const bitString = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const explicit = (n: number, inner: Buffer) => tlv(0xa0 + n, inner);

function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  let v = b.subarray(i);
  if (v[0] & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return tlv(0x02, v);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [40 * parts[0] + parts[1]];
  for (const p of parts.slice(2)) {
    const stack = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) stack.unshift((v & 0x7f) | 0x80);
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString(); // 2026-11-22T03:31:22.000Z
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = Number(iso.slice(0, 4));
  return year < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
}

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const COMMON_NAME = '2.5.4.3';
const ORGANIZATION = '2.5.4.10';
const BASIC_CONSTRAINTS = '2.5.29.19';
const KEY_USAGE = '2.5.29.15';

/** An X.509 v3 certificate for the key, valid from a day ago for 20 years, as PEM. */
export function selfSignedCertificate(privateKey: KeyObject, now: number, commonName = 'sns.osprey.local'): string {
  const publicKeyDer = createPublicKeyDer(privateKey);
  const algorithm = seq(oid(SHA256_WITH_RSA), nul());
  const name = seq(set(seq(oid(ORGANIZATION), utf8('Osprey'))), set(seq(oid(COMMON_NAME), utf8(commonName))));
  const day = 24 * 3600 * 1000;
  const extensions = explicit(
    3,
    seq(
      seq(oid(BASIC_CONSTRAINTS), tlv(0x01, Buffer.from([0xff])), tlv(0x04, seq())), // critical, CA:FALSE
      seq(oid(KEY_USAGE), tlv(0x01, Buffer.from([0xff])), tlv(0x04, tlv(0x03, Buffer.from([0x07, 0x80])))), // digitalSignature
    ),
  );
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    algorithm,
    name,
    seq(time(now - day), time(now + 20 * 365 * day)),
    name,
    publicKeyDer,
    extensions,
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, algorithm, bitString(signature));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

function createPublicKeyDer(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'der' }) as Buffer;
}
