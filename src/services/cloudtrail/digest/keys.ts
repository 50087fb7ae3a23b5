/**
 * Digest signing keys: one RSA-2048 key pair per (account, region), generated on first use and
 * kept in the metadata store. The private key is stored sealed (AES-256-GCM under a data key derived
 * from the data directory's master key, bound to the account and region), so a copy of
 * `meta.sqlite` alone cannot forge digests; it is only ever opened to sign, and nothing returns it.
 * Keys do not rotate, so a key's validity starts when it was made and has no end.
 *
 * Public keys are published as AWS does through ListPublicKeys: the `Value` blob is the PKCS #1
 * RSAPublicKey DER (`aws cloudtrail validate-logs` keeps the wire's base64 text and decodes it
 * itself before loading it as PKCS #1), the fingerprint the hex MD5 of that DER (32 hex digits,
 * like AWS's).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, sign, verify, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { KeyStore } from '../../../store/keys/key-store.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';

const generate = promisify(generateKeyPair);

export interface PublicKeyInfo {
  fingerprint: string;
  /** PKCS #1 RSAPublicKey, DER. */
  der: Buffer;
  validFrom: number;
  validTo?: number;
}

export interface SigningKey extends PublicKeyInfo {
  privateKey: KeyObject;
}

export const fingerprintOf = (der: Buffer) => createHash('md5').update(der).digest('hex');

/** Hex SHA256withRSA (RSASSA-PKCS1-v1_5) signature of a UTF-8 string. */
export const signHex = (key: KeyObject, data: string) => sign('sha256', Buffer.from(data), key).toString('hex');

/** Checks a hex signature against a PKCS #1 DER public key; false for malformed input. */
export function verifyHex(publicDer: Buffer, data: string, signatureHex: string): boolean {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(signatureHex)) return false;
  try {
    const key = createPublicKey({ key: publicDer, format: 'der', type: 'pkcs1' });
    return verify('sha256', Buffer.from(data), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

interface KeyRow {
  fingerprint: string;
  public_der: Buffer;
  private_pem: string;
  valid_from: number;
}

export class SigningKeys {
  private readonly cache = new Map<string, SigningKey>();
  private readonly making = new Map<string, Promise<SigningKey>>();

  constructor(private readonly db: Sql, private readonly now: () => number, private readonly sealer: Pick<KeyStore, 'seal' | 'open'>) {}

  /** The (account, region) key, made on first use (generation is async: ~100 ms of CPU off the loop). */
  async current(account: string, region: string): Promise<SigningKey> {
    const id = `${account}\u0000${region}`;
    const cached = this.cache.get(id) ?? (await this.load(account, region));
    if (cached) {
      this.cache.set(id, cached);
      return cached;
    }
    let pending = this.making.get(id);
    if (!pending) {
      pending = this.make(account, region).finally(() => this.making.delete(id));
      this.making.set(id, pending);
    }
    const key = await pending;
    this.cache.set(id, key);
    return key;
  }

  /** Public keys of (account, region) valid at some time up to `end` (keys never expire, so any start matches). */
  async publicKeys(account: string, region: string, end: number): Promise<PublicKeyInfo[]> {
    const rows = await this.db.all<Omit<KeyRow, 'private_pem'>>(
      'SELECT fingerprint, public_der, valid_from FROM cloudtrail_digest_keys WHERE account = ? AND region = ? AND valid_from <= ?', [account, region, end]);
    return rows.map((r) => ({ fingerprint: r.fingerprint, der: r.public_der, validFrom: r.valid_from }));
  }

  private async load(account: string, region: string): Promise<SigningKey | undefined> {
    const row = await this.db.get<KeyRow>(
      'SELECT fingerprint, public_der, private_pem, valid_from FROM cloudtrail_digest_keys WHERE account = ? AND region = ?', [account, region]);
    if (!row) return undefined;
    const pem = this.sealer.open(sealingId(account, region), row.private_pem);
    return { fingerprint: row.fingerprint, der: row.public_der, validFrom: row.valid_from, privateKey: createPrivateKey(pem) };
  }

  private async make(account: string, region: string): Promise<SigningKey> {
    const { publicKey, privateKey } = await generate('rsa', { modulusLength: 2048 });
    const der = publicKey.export({ type: 'pkcs1', format: 'der' });
    const sealed = this.sealer.seal(sealingId(account, region), privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    // Another process may have made one meanwhile: the first stored key wins, everywhere.
    await this.db.run(`INSERT INTO cloudtrail_digest_keys (account, region, fingerprint, public_der, private_pem, valid_from)
      VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account, region) DO NOTHING`,
      [account, region, fingerprintOf(der), der, sealed, this.now()]);
    return (await this.load(account, region))!;
  }
}

/** What the sealed private key is bound to: a row copied to another scope fails to open. */
const sealingId = (account: string, region: string) => `osprey:cloudtrail-digest-key:${account}:${region}`;
