/** A lean SigV4 restJson client for benchmarks (the REST sibling of SignedJsonClient). */
import { Agent, request } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

export function signedRestClient(endpoint: string, service: string) {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const signer = new SignatureV4({ service, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Hash.bind(null, 'sha256') });
  return {
    async post(path: string, body: string): Promise<{ status: number; body: string }> {
      const payload = Buffer.from(body);
      const signed = await signer.sign({
        method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path,
        headers: { host: url.host, 'content-type': 'application/json', 'content-length': String(payload.length) }, body: payload,
      });
      return new Promise((resolve, reject) => {
        const req = request({ host: url.hostname, port: url.port, method: 'POST', path, headers: signed.headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(payload);
      });
    },
  };
}
