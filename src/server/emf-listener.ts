/**
 * The CloudWatch agent's EMF endpoint: TCP and UDP on one port (25888 by default), carrying
 * newline-delimited JSON documents, as aws-embedded-metrics sends them in Agent mode
 * (`AWS_EMF_AGENT_ENDPOINT=tcp://host:port` or `udp://host:port`; protocols.md §8):
 * - TCP: one connection carries many documents, each followed by `\n`; a document may arrive split
 *   over several reads, and a final document without `\n` is taken when the client ends the
 *   connection. Nothing is ever written back.
 * - UDP: one datagram per document (several `\n`-separated documents in one datagram are accepted).
 * `\r\n` line ends are accepted, empty lines skipped. Lines longer than `maxLineBytes` are dropped
 * (the rest of such a line is skipped up to its `\n`).
 * What a document means is the sink's business (services/logs/emf/agent-sink.ts).
 *
 * The listener is unauthenticated, like the agent's: bind it where only trusted senders reach it
 * (it binds to the server's host, 127.0.0.1 by default).
 */
import { createServer, isIPv6, type Server, type Socket } from 'node:net';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { once } from 'node:events';
import type { Logger } from '../lib/logger.ts';
import { StartupError, listenError } from './startup-error.ts';

export interface EmfListenerOptions {
  host: string;
  /** 0 = any free port (the same number for TCP and UDP). */
  port: number;
  log: Logger;
  /** Called once per received document (one line, without its newline). Must not throw. */
  onDocument(line: string): void;
  /** Longest accepted document in bytes; default 1 MiB (a PutLogEvents batch). */
  maxLineBytes?: number;
}

export interface RunningEmfListener {
  port: number;
  /** Stops accepting, closes open connections (documents already received were handed over). */
  close(): Promise<void>;
}

export async function startEmfListener(opts: EmfListenerOptions): Promise<RunningEmfListener> {
  const maxLineBytes = opts.maxLineBytes ?? 1_048_576;
  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A client that vanishes mid-line is not an error worth more than a debug line.
    socket.on('error', (err) => opts.log.debug({ err }, 'EMF TCP connection error'));
    const lines = new LineSplitter(maxLineBytes, (line) => deliver(opts, line), () =>
      opts.log.warn({ maxLineBytes, remote: socket.remoteAddress }, 'EMF document too long; dropped'));
    socket.on('data', (chunk: Buffer) => lines.push(chunk));
    socket.on('end', () => {
      lines.end();
      socket.end();
    });
  });

  // Port 0: take the TCP port the system picks and bind UDP to the same number; if that UDP port
  // happens to be taken, try another.
  for (let attempt = 0; ; attempt++) {
    tcp.listen(opts.port, opts.host);
    await waitListening(tcp).catch((err: unknown) => {
      throw inUse(err, opts);
    });
    const port = (tcp.address() as { port: number }).port;
    const udp = createSocket({ type: isIPv6(opts.host) ? 'udp6' : 'udp4' });
    try {
      await bindUdp(udp, port, opts.host);
    } catch (err) {
      udp.close();
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      if (opts.port === 0 && attempt < 10) continue;
      throw inUse(err, opts);
    }
    udp.on('message', (msg) => {
      for (const line of msg.toString('utf8').split('\n')) if (line.length > 0) deliver(opts, line);
    });
    udp.on('error', (err) => opts.log.warn({ err }, 'EMF UDP socket error'));
    opts.log.info({ host: opts.host, port }, 'emf listening (tcp+udp)');
    return {
      port,
      close: () => closeAll(tcp, udp, sockets),
    };
  }
}

/** A one-line startup error for the common case of another agent already listening. */
function inUse(err: unknown, opts: EmfListenerOptions): unknown {
  const setting = '--emf-port / OSPREY_EMF_PORT / emfPort';
  if ((err as NodeJS.ErrnoException)?.code !== 'EADDRINUSE') return listenError(err, 'EMF listener', opts.host, opts.port, setting);
  return new StartupError(
    `EMF listener: port ${opts.port} on ${opts.host} is already in use (another CloudWatch agent?); ` +
    `set ${setting} to another port, or 0 for any free port`, { cause: err });
}

function deliver(opts: EmfListenerOptions, line: string): void {
  try {
    opts.onDocument(line);
  } catch (err) {
    opts.log.error({ err }, 'EMF document handler failed');
  }
}

async function waitListening(server: Server): Promise<void> {
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([err]) => {
      throw err;
    }),
  ]);
}

function bindUdp(udp: UdpSocket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    udp.once('error', onError);
    udp.bind(port, host, () => {
      udp.off('error', onError);
      resolve();
    });
  });
}

async function closeAll(tcp: Server, udp: UdpSocket, sockets: Set<Socket>): Promise<void> {
  const tcpClosed = new Promise<void>((resolve) => tcp.close(() => resolve()));
  // Clients (the EMF library) keep their connection open between flushes: end them.
  for (const s of sockets) s.destroy();
  const udpClosed = new Promise<void>((resolve) => udp.close(() => resolve()));
  await Promise.all([tcpClosed, udpClosed]);
}

/**
 * Splits a byte stream on `\n` into UTF-8 lines. Splitting bytes (not decoded text) is safe: 0x0a
 * never occurs inside a multi-byte UTF-8 sequence, and a character split across reads is decoded
 * only once its line is complete.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onTooLong: () => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl === -1) {
        this.append(chunk.subarray(start));
        return;
      }
      this.append(chunk.subarray(start, nl));
      this.emit();
      start = nl + 1;
    }
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (this.size > 0 || this.skipping) this.emit();
  }

  private append(b: Buffer): void {
    if (b.length === 0 || this.skipping) return;
    if (this.size + b.length > this.maxLineBytes) {
      this.skipping = true;
      this.parts = [];
      this.size = 0;
      this.onTooLong();
      return;
    }
    this.parts.push(b);
    this.size += b.length;
  }

  private emit(): void {
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    let line = this.size === 0 ? '' : Buffer.concat(this.parts, this.size).toString('utf8');
    this.parts = [];
    this.size = 0;
    if (line.endsWith('\r')) line = line.slice(0, -1); // CRLF line ends
    if (line.length > 0) this.onLine(line);
  }
}
