import { createHmac, hash } from 'node:crypto';

/**
 * SigV4 for the benchmarks' POSTs: the signature an SDK computes (test/bench-sigv4-signer.test.ts
 * checks it against @smithy/signature-v4 byte for byte), at a fraction of the CPU.
 *
 * The load generators share this machine's two cores with the server. @smithy's signer builds
 * the canonical request through several intermediate objects and promises per call; with a dozen
 * clients making ~5,000 calls a second it took a third of the bench process's core, which the
 * server then could not use. Here the signing key is derived once a day, the date strings once a
 * second, and a call costs one SHA-256 and one HMAC. It deliberately shares no code with the
 * server's verifier (src/protocol/sigv4.ts): a canonicalisation bug there must not cancel out here.
 */
export class BenchSigner {
  private day = '';
  private key: Buffer = Buffer.alloc(0);
  private second = -1;
  private amzDate = '';

  constructor(
    private readonly service: string,
    private readonly region: string,
    private readonly accessKeyId: string,
    private readonly secretAccessKey: string,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Headers for a request: `headers` (lower-case names) plus x-amz-date and authorization, every
   * given header signed. `payloadSha256` is the hex SHA-256 of the body.
   */
  sign(method: string, path: string, headers: Record<string, string>, payloadSha256: string): Record<string, string> {
    const amzDate = this.date();
    const all: Record<string, string> = { ...headers, 'x-amz-date': amzDate };
    const names = Object.keys(all).sort();
    let canonical = `${method}\n${path}\n\n`;
    for (const n of names) canonical += `${n}:${all[n]!.trim()}\n`;
    const signedHeaders = names.join(';');
    canonical += `\n${signedHeaders}\n${payloadSha256}`;
    const scope = `${this.day}/${this.region}/${this.service}/aws4_request`;
    const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${hash('sha256', canonical)}`;
    const signature = createHmac('sha256', this.key).update(toSign).digest('hex');
    all.authorization = `AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return all;
  }

  /** The X-Amz-Date of this second; rolls the signing key over at midnight UTC. */
  private date(): string {
    const ms = this.now();
    const second = Math.floor(ms / 1000);
    if (second !== this.second) {
      this.second = second;
      this.amzDate = new Date(second * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
      const day = this.amzDate.slice(0, 8);
      if (day !== this.day) {
        this.day = day;
        const kDate = hmac(`AWS4${this.secretAccessKey}`, day);
        this.key = hmac(hmac(hmac(kDate, this.region), this.service), 'aws4_request');
      }
    }
    return this.amzDate;
  }
}

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
