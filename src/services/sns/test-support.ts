/**
 * Test support: SNS behind the real protocol engine on a random port (real SDK clients talk to
 * it), a local HTTP receiver that records what endpoints get, and a tiny SMTP sink.
 */
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { systemClock, type Clock } from '../../lib/clock.ts';
import { silentLogger } from '../../lib/logger.ts';
import { DeliveryWorker } from '../../jobs/delivery-worker.ts';
import { nullAuditSink } from '../../protocol/audit.ts';
import { ProtocolEngine } from '../../protocol/engine.ts';
import { SqliteOutboxRepo } from '../../store/meta/outbox.ts';
import { openSqlite, type Db } from '../../store/meta/sqlite.ts';
import { untypedTable } from '../../server/internal-calls.ts';
import { buildSns, type Sns, type SmtpConfig } from './index.ts';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

interface After {
  after(fn: () => void | Promise<void>): void;
}

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP endpoint that answers `status()` and hands over each request it got, in order. */
export async function startReceiver(t: After, status: () => number = () => 200) {
  const got: Received[] = [];
  const waiters: ((r: Received) => void)[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      res.writeHead(status()).end();
      const w = waiters.shift();
      if (w) w(r);
      else got.push(r);
    });
  });
  const url = await listen(t, server);
  return {
    url,
    /** The next request (already received or still to come). */
    next: (): Promise<Received> => {
      const r = got.shift();
      return r ? Promise.resolve(r) : new Promise((resolve) => waiters.push(resolve));
    },
    pending: () => got.length,
  };
}

async function listen(t: After, server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export interface SmtpMail {
  from: string;
  to: string[];
  data: string;
}

/** A minimal SMTP server: accepts every message, except recipients starting with `bounce` (550). */
export async function startSmtpSink(t: After) {
  const mails: SmtpMail[] = [];
  const waiters: ((m: SmtpMail) => void)[] = [];
  const server = createNetServer((sock) => {
    let buf = '';
    let inData = false;
    let cur: SmtpMail = { from: '', to: [], data: '' };
    sock.write('220 sink ESMTP\r\n');
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          cur.data = buf.slice(0, end);
          buf = buf.slice(end + 5);
          inData = false;
          const w = waiters.shift();
          if (w) w(cur);
          else mails.push(cur);
          cur = { from: '', to: [], data: '' };
          sock.write('250 2.0.0 queued\r\n');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO' || cmd === 'HELO') sock.write('250 sink\r\n');
        else if (cmd === 'MAIL') {
          cur.from = line.slice(10);
          sock.write('250 2.1.0 ok\r\n');
        } else if (cmd === 'RCPT') {
          if (/<bounce/i.test(line)) sock.write('550 5.1.1 no such user\r\n');
          else {
            cur.to.push(line.slice(8));
            sock.write('250 2.1.5 ok\r\n');
          }
        } else if (cmd === 'DATA') {
          inData = true;
          sock.write('354 go ahead\r\n');
        } else if (cmd === 'QUIT') {
          sock.end('221 bye\r\n');
        } else sock.write('250 ok\r\n');
      }
    });
    sock.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;
  return {
    config: { host: '127.0.0.1', port, secure: false, from: 'osprey@example.com' } satisfies SmtpConfig,
    next: (): Promise<SmtpMail> => {
      const m = mails.shift();
      return m ? Promise.resolve(m) : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

export interface SnsHarness {
  client: SNSClient;
  sns: Sns;
  worker: DeliveryWorker;
  db: Db;
  baseUrl: string;
  keysDir: string;
  /** Delivers everything due now (one worker round per call). */
  deliver(): Promise<void>;
  /** GETs a URL on the server (SubscribeURL, UnsubscribeURL, SigningCertURL). */
  get(url: string): Promise<{ status: number; body: string }>;
}

export async function startSns(
  t: After,
  opts: { smtp?: SmtpConfig; lambdaUrls?: Record<string, string>; clock?: Clock; keysDir?: string } = {},
): Promise<SnsHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-sns-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = openSqlite(join(dir, 'meta.sqlite'), { fsync: false });
  t.after(() => {
    db.close();
  });
  const clock = opts.clock ?? systemClock;
  const outbox = new SqliteOutboxRepo(db);
  let baseUrl = '';
  const keysDir = opts.keysDir ?? join(dir, 'keys');
  const sns = buildSns({
    db,
    outbox,
    clock,
    log: silentLogger,
    publicUrl: () => baseUrl,
    keysDir,
    smtp: opts.smtp,
    lambdaUrls: opts.lambdaUrls ?? {},
    timeoutMs: 5000,
  });
  t.after(() => sns.close());
  const engine = new ProtocolEngine({
    handlers: { sns: untypedTable(sns.handlers) },
    credentials: (id) => (id === 'AKIDSNSTEST' ? { accessKeyId: id, secretAccessKey: 'secret', accountId: ACCOUNT, principalArn: `arn:aws:iam::${ACCOUNT}:root` } : undefined),
    clock,
    log: silentLogger,
    audit: nullAuditSink,
    maxBodyBytes: 1024 * 1024,
    maxSkewMs: 15 * 60 * 1000,
  });
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = req.url ?? '/';
        if (url.startsWith(sns.paths.prefix)) {
          const out = await sns.handleHttp(url);
          res.writeHead(out.status, out.headers).end(out.body);
          return;
        }
        const q = url.indexOf('?');
        const out = await engine.handle({
          method: req.method ?? 'GET',
          path: q >= 0 ? url.slice(0, q) : url,
          rawQuery: q >= 0 ? url.slice(q + 1) : '',
          headers: req.headersDistinct,
          body: Buffer.concat(chunks),
          remoteAddress: '127.0.0.1',
        });
        if (!out) res.writeHead(404).end();
        else res.writeHead(out.status, out.headers).end(out.body);
      })();
    });
  });
  baseUrl = await listen(t, server);
  const client = new SNSClient({
    endpoint: baseUrl,
    region: REGION,
    credentials: { accessKeyId: 'AKIDSNSTEST', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
  t.after(() => client.destroy());
  const worker = new DeliveryWorker({ outbox, handlers: [sns.delivery], clock, log: silentLogger, settings: { backoffMs: 1, maxBackoffMs: 1 } });
  return {
    client,
    sns,
    worker,
    db,
    baseUrl,
    keysDir,
    deliver: async () => {
      await worker.runOnce();
    },
    get: async (url) => {
      const res = await fetch(url);
      return { status: res.status, body: await res.text() };
    },
  };
}
