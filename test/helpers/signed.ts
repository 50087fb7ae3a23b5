import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';

/** The body of an AWS JSON-protocol error answer, as the tests read it. */
export interface JsonErrorBody { __type: string; message: string }

/**
 * Sends a request signed like the SDKs sign it, with an arbitrary body. Used only where no real
 * client can produce the input (malformed JSON, CBOR or form bodies, skewed clocks, bad keys).
 */
export async function signedFetch(
  url: string,
  opts: {
    service: string;
    headers: Record<string, string>;
    body: string | Buffer;
    path?: string;
    region?: string;
    accessKeyId?: string;
    secretAccessKey?: string;
    signingDate?: Date;
  },
): Promise<{ status: number; headers: Headers; text: string; json: () => JsonErrorBody }> {
  const u = new URL(url);
  const signer = new SignatureV4({
    service: opts.service,
    region: opts.region ?? 'us-east-1',
    credentials: { accessKeyId: opts.accessKeyId ?? 'test', secretAccessKey: opts.secretAccessKey ?? 'test' },
    sha256: Hash.bind(null, 'sha256'),
  });
  const body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: u.hostname,
      port: Number(u.port),
      path: opts.path ?? '/',
      headers: { host: u.host, 'content-length': String(body.length), ...opts.headers },
      body,
    },
    { signingDate: opts.signingDate },
  );
  const res = await fetch(`${url}${opts.path ?? '/'}`, { method: 'POST', headers: signed.headers, body: new Uint8Array(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as JsonErrorBody };
}
