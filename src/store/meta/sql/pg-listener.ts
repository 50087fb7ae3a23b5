/**
 * PostgreSQL LISTEN on one dedicated connection per node (pooled connections cannot listen: they
 * are handed to other work). When the connection drops it reconnects with backoff and listens
 * again; what was notified meanwhile is missed, which notify's contract allows (listeners poll).
 */
import pg from 'pg';
import { Channels } from './channels.ts';

const quote = (channel: string) => `"${channel}"`;

export class PgListener {
  private readonly channels = new Channels();
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private backoffMs = 100;
  /** Called when a connection comes back after a loss (notifications were missed meanwhile). */
  private readonly relisteners = new Set<() => void>();
  private connectedBefore = false;

  constructor(private readonly url: string) {}

  listen(channel: string, fn: (payload: string) => void): () => void {
    const l = this.channels.add(channel, fn);
    if (l.first) void this.ensure().then(() => this.client?.query(`LISTEN ${quote(channel)}`)).catch(() => {});
    return () => {
      if (l.remove()) void this.client?.query(`UNLISTEN ${quote(channel)}`).catch(() => {});
    };
  }

  onRelisten(fn: () => void): () => void {
    this.relisteners.add(fn);
    return () => void this.relisteners.delete(fn);
  }

  /** Resolves once the listening connection is up (tests wait for it before notifying). */
  ready(): Promise<void> {
    return this.ensure();
  }

  private ensure(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (n) => this.channels.emit(n.channel, n.payload ?? ''));
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      for (const c of this.channels.names()) await client.query(`LISTEN ${quote(c)}`);
    } catch {
      this.lost(client);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.backoffMs = 100;
    if (this.connectedBefore) {
      for (const fn of this.relisteners) {
        try {
          fn();
        } catch {
          // A listener's bug must not stop the others (they log their own errors).
        }
      }
    }
    this.connectedBefore = true;
  }

  private lost(client: pg.Client): void {
    if (this.client === client) this.client = undefined;
    void client.end().catch(() => {});
    if (this.closed || this.channels.names().length === 0) return;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 5000);
    setTimeout(() => void this.ensure(), wait).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => {});
  }
}
