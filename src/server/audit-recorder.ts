import type { Logger } from '../lib/logger.ts';
import type { AuditRecord, AuditSink } from '../protocol/audit.ts';
import type { AuditEventRow } from '../store/telemetry/audit-events.ts';

/**
 * Where audit records are persisted (the telemetry store's audit table). The protocol layer's
 * records are stored as they are: this is where the compiler checks they fit the store's row.
 */
export interface AuditStore {
  append(rows: AuditEventRow[]): Promise<void>;
}

/**
 * Buffers audit records off the request path and writes them in batches. An audit write failure is
 * logged, never surfaced to the caller whose request already succeeded.
 */
export class AuditRecorder implements AuditSink {
  private buf: AuditRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly store: AuditStore, private readonly log: Logger, private readonly flushMs = 1000) {}

  record(r: AuditRecord): void {
    this.buf.push(r);
    if (this.buf.length >= 5000) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs).unref();
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buf;
    this.buf = [];
    if (batch.length > 0) {
      this.writing = this.writing
        .then(() => this.store.append(batch))
        .catch((err) => this.log.error({ err, records: batch.length }, 'failed to persist audit records'));
    }
    return this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
