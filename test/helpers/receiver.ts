// A local HTTP endpoint standing in for a Lambda function URL, an API destination or a webhook: it
// records what it receives and answers with the status the test sets.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status answered to the next requests (default 200). */
  status: number;
  close(): Promise<void>;
}

/** `tls`: serve https with this key and certificate (test/helpers/tls.ts) instead of http. */
export async function startReceiver(opts: { tls?: { key: string; cert: string } } = {}): Promise<Receiver> {
  const r: Receiver = { url: '', received: [], status: 200, close: async () => {} };
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      res.statusCode = r.status;
      res.end(r.status >= 400 ? '{"error":"failing on purpose"}' : '{}');
    });
  };
  const server: Server = opts.tls ? createHttpsServer(opts.tls, handler) : createServer(handler);
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  r.url = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  r.close = () => new Promise((resolve) => server.close(() => resolve()));
  return r;
}
