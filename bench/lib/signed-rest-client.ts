/** A lean SigV4 restJson client for benchmarks (the REST sibling of SignedJsonClient). */
import { Agent } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { postSigned } from './signed-client.ts';

export function signedRestClient(endpoint: string, service: string) {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Hash.bind(null, 'sha256') });
  return {
    /** POSTs `body` (JSON unless `headers` set another content-type), signed. */
    async post(path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
      const payload = typeof body === 'string' ? Buffer.from(body) : body;
      const signed = await signer.sign({
        method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path,
        headers: { host: url.host, 'content-type': 'application/json', ...headers, 'content-length': String(payload.length) }, body: payload,
      });
      return postSigned(agent, url, path, signed.headers, payload);
    },
  };
}
