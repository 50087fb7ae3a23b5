import { Agent, request } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';

/**
 * A lean SigV4 JSON client for benchmarks: the same bytes and signature an SDK sends, without the
 * SDK's per-call overhead competing with the server for this machine's two cores.
 */
export class SignedJsonClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly signer: SignatureV4;
  private readonly url: URL;

  constructor(endpoint: string, private readonly service: string, private readonly targetPrefix: string, private readonly jsonVersion = '1.1') {
    this.url = new URL(endpoint);
    this.signer = new SignatureV4({
      service,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      sha256: Hash.bind(null, 'sha256'),
    });
  }

  async call(op: string, body: Buffer | string): Promise<{ status: number; body: string }> {
    const payload = typeof body === 'string' ? Buffer.from(body) : body;
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: this.url.hostname,
      port: Number(this.url.port),
      path: '/',
      headers: {
        host: this.url.host,
        'content-type': `application/x-amz-json-${this.jsonVersion}`,
        'x-amz-target': `${this.targetPrefix}.${op}`,
        'content-length': String(payload.length),
      },
      body: payload,
    });
    return new Promise((resolve, reject) => {
      const req = request(
        { host: this.url.hostname, port: this.url.port, method: 'POST', path: '/', headers: signed.headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
