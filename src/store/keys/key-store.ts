import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Encryption at rest for log groups associated with a KMS key ARN.
 *
 * Osprey has no KMS, so it manages the key material itself: one random 256-bit master key in
 * `<data>/keys/master.key` (mode 0600, created on first start), and per key ARN a data key derived
 * with HKDF-SHA256(master, info = key ARN). Messages are sealed with AES-256-GCM under a fresh
 * 96-bit nonce each; the key ARN is bound as additional authenticated data, so a ciphertext moved to
 * another key fails to open instead of decrypting to garbage.
 *
 * Limits (documented in README): whoever can read the data directory can read the master key —
 * this protects copies of the telemetry files (backups, a stolen ClickHouse volume), not a
 * compromised host; there is no key rotation or KMS grant model; losing master.key loses every
 * encrypted message.
 */
export class KeyStore {
  private readonly master: Buffer;
  private readonly keys = new Map<string, Buffer>();

  private constructor(master: Buffer) {
    this.master = master;
  }

  static open(dataDir: string): KeyStore {
    const dir = join(dataDir, 'keys');
    const file = join(dir, 'master.key');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!existsSync(file)) {
      const key = randomBytes(32);
      // 'wx' fails if another process created it meanwhile; fsync so an acknowledged encrypted
      // event can never outlive its key after a crash.
      try {
        const fd = openSync(file, 'wx', 0o600);
        writeSync(fd, key.toString('base64'));
        fsyncSync(fd);
        closeSync(fd);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    const master = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (master.length !== 32) throw new Error(`${file} is not a 256-bit base64 key`);
    return new KeyStore(master);
  }

  /** For tests: a store with a given master key. */
  static fromMaster(master: Buffer): KeyStore {
    return new KeyStore(master);
  }

  private dataKey(keyArn: string): Buffer {
    let k = this.keys.get(keyArn);
    if (!k) {
      k = Buffer.from(hkdfSync('sha256', this.master, 'osprey-logs-v1', keyArn, 32));
      this.keys.set(keyArn, k);
    }
    return k;
  }

  /** `v1:` + base64(nonce ‖ ciphertext ‖ tag). */
  seal(keyArn: string, plaintext: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.dataKey(keyArn), iv);
    c.setAAD(Buffer.from(keyArn));
    const body = Buffer.concat([iv, c.update(plaintext, 'utf8'), c.final(), c.getAuthTag()]);
    return `v1:${body.toString('base64')}`;
  }

  open(keyArn: string, sealed: string): string {
    if (!sealed.startsWith('v1:')) throw new Error('unknown ciphertext version');
    const body = Buffer.from(sealed.slice(3), 'base64');
    const d = createDecipheriv('aes-256-gcm', this.dataKey(keyArn), body.subarray(0, 12));
    d.setAAD(Buffer.from(keyArn));
    d.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([d.update(body.subarray(12, body.length - 16)), d.final()]).toString('utf8');
  }
}
