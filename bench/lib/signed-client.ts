import { Agent, request } from 'node:http';
import { hash } from 'node:crypto';
import { BenchSigner } from './sigv4-signer.ts';

/**
 * A lean SigV4 JSON client for benchmarks: the same bytes and signature an SDK sends, without the
 * SDK's per-call overhead competing with the server for this machine's two cores.
 */
export class SignedJsonClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly signer: BenchSigner;
  private readonly url: URL;

  constructor(endpoint: string, service: string, private readonly targetPrefix: string, private readonly jsonVersion = '1.1') {
    this.url = new URL(endpoint);
    this.signer = new BenchSigner(service, 'us-east-1', 'test', 'test');
  }

  /**
   * Benchmarks resend a few pre-built bodies: their bytes and SHA-256 are computed once, and the
   * hash goes in x-amz-content-sha256, which the signer then uses instead of hashing the body again.
   * The server still hashes every body it receives to verify the signature; only the client (which
   * shares this machine's cores with the server) is spared the repeat.
   */
  private readonly prepared = new Map<Buffer | string, { payload: Buffer; sha256: string }>();

  /** `reuse`: the body will be sent again (pre-built bodies), so its bytes and hash are kept. */
  private prepare(body: Buffer | string, reuse: boolean): { payload: Buffer; sha256: string } {
    let p = this.prepared.get(body);
    if (p === undefined) {
      const payload = typeof body === 'string' ? Buffer.from(body) : body;
      p = { payload, sha256: hash('sha256', payload) };
      if (!reuse) return p;
      if (this.prepared.size >= 10_000) this.prepared.clear();
      this.prepared.set(body, p);
    }
    return p;
  }

  /** One call; `reuse: false` for a body built for this call only (nothing is cached for it). */
  async call(op: string, body: Buffer | string, reuse = true): Promise<{ status: number; body: string }> {
    const { payload, sha256 } = this.prepare(body, reuse);
    const headers = this.signer.sign('POST', '/', {
      host: this.url.host,
      'content-type': `application/x-amz-json-${this.jsonVersion}`,
      'x-amz-target': `${this.targetPrefix}.${op}`,
      'content-length': String(payload.length),
      'x-amz-content-sha256': sha256,
    }, sha256);
    return postSigned(this.agent, this.url, '/', headers, payload);
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Sends one signed POST over a keep-alive agent; the status and body text. */
export function postSigned(agent: Agent, url: URL, path: string, headers: Record<string, string>, payload: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
