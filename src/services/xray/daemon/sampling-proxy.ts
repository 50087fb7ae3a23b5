/**
 * The daemon's TCP side: X-Ray SDKs send their sampling calls (POST /GetSamplingRules,
 * /SamplingTargets) unsigned to the daemon address, and the daemon signs them with its own
 * credentials and forwards them to X-Ray. This does the same against this server's own API, so the
 * calls take exactly the path (validation, encoding, errors) of any signed client.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Logger } from '../../../lib/logger.ts';

export interface SamplingProxyOptions {
  host: string;
  port: number;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Where this server's API is (known once it listens). */
  apiUrl(): string;
  log: Logger;
}

/** The X-Ray API paths the SDKs call through the daemon. */
const PATHS = new Set(['/GetSamplingRules', '/SamplingTargets']);
const MAX_BODY = 1024 * 1024;

export async function startSamplingProxy(opts: SamplingProxyOptions): Promise<{ server: Server; port: number }> {
  const signer = new SignatureV4({ service: 'xray', region: opts.region, credentials: opts.credentials, sha256: Hash.bind(null, 'sha256') });
  const server = createServer((req, res) => void handle(req, res, signer, opts));
  server.listen(opts.port, opts.host);
  await once(server, 'listening');
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : opts.port };
}

async function handle(req: IncomingMessage, res: ServerResponse, signer: SignatureV4, opts: SamplingProxyOptions): Promise<void> {
  try {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method !== 'POST' || !PATHS.has(path)) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `The X-Ray daemon proxies POST ${[...PATHS].join(', ')} only.` }));
      return;
    }
    const body = await readBody(req);
    const api = new URL(opts.apiUrl());
    const signed = await signer.sign({
      method: 'POST', protocol: api.protocol, hostname: api.hostname, port: Number(api.port) || undefined, path,
      headers: { host: api.host, 'content-type': 'application/json' }, body,
    });
    const upstream = request({ method: 'POST', host: api.hostname, port: api.port, path, headers: signed.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, { 'content-type': up.headers['content-type'] ?? 'application/json' });
      up.pipe(res);
    });
    upstream.on('error', (err) => fail(res, opts.log, err));
    upstream.end(body);
  } catch (err) {
    fail(res, opts.log, err);
  }
}

function fail(res: ServerResponse, log: Logger, err: unknown): void {
  log.warn({ err }, 'x-ray daemon: sampling call failed');
  if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message: 'The X-Ray daemon could not reach the X-Ray API.' }));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8') || '{}';
}
