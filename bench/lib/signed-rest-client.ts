/** A lean SigV4 restJson client for benchmarks (the REST sibling of SignedJsonClient). */
import { Agent } from 'node:http';
import { hash } from 'node:crypto';
import { postSigned } from './signed-client.ts';
import { BenchSigner } from './sigv4-signer.ts';

export function signedRestClient(endpoint: string, service: string) {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const signer = new BenchSigner(service, 'us-east-1', 'test', 'test');
  return {
    /** POSTs `body` (JSON unless `headers` set another content-type), signed. `path` needs no URI-encoding. */
    async post(path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
      const payload = typeof body === 'string' ? Buffer.from(body) : body;
      const sha256 = hash('sha256', payload);
      const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
      const signed = signer.sign('POST', path, {
        host: url.host, 'content-type': 'application/json', ...lower, 'content-length': String(payload.length), 'x-amz-content-sha256': sha256,
      }, sha256);
      return postSigned(agent, url, path, signed, payload);
    },
  };
}
