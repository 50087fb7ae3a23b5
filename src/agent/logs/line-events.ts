/**
 * Lines of one file → log events, as the agent builds them: with `multi_line_start_pattern`, a line
 * that does not match it continues the event before it (joined with "\n"; an event waits for the
 * next start line or `idleMs` without lines); the event's time is the timestamp `timestamp_format`
 * finds in it (removed from the message with `trim_timestamp`), else when it was read; `filters` keep
 * only what every include expression matches and no exclude expression does; an event is cut to
 * the 256 KB CloudWatch Logs allows.
 */
import type { CollectEntry } from '../config/schema.ts';
import type { FileIdentity, TailedLine } from './file-tailer.ts';
import type { TimestampMatcher } from './timestamp-format.ts';

export const MAX_EVENT_BYTES = 256 * 1024 - 26;

export interface FileEvent {
  timestamp: number;
  message: string;
  file: FileIdentity;
  end: number;
}

/** A multi-line event being gathered; `since`: when its last line came. */
interface Pending { lines: string[]; file: FileIdentity; end: number; since: number }

export class LineEvents {
  private pending: Pending | undefined;
  private readonly filters: { include: boolean; re: RegExp }[];

  constructor(
    entry: Pick<CollectEntry, 'filters' | 'trim_timestamp'>,
    private readonly timestamp: TimestampMatcher | undefined,
    private readonly startPattern: RegExp | undefined,
    private readonly idleMs = 1000,
    private readonly trim = entry.trim_timestamp ?? false,
  ) {
    this.filters = (entry.filters ?? []).map((f) => ({ include: f.type === 'include', re: new RegExp(f.expression) }));
  }

  /** Events completed by these lines (and by time passing). */
  push(lines: readonly TailedLine[], now = Date.now()): FileEvent[] {
    const out: FileEvent[] = [];
    for (const l of lines) {
      if (!this.startPattern) {
        this.emit({ lines: [l.text], file: l.file, end: l.end, since: now }, now, out);
        continue;
      }
      if (this.pending && !this.startPattern.test(l.text)) {
        this.pending.lines.push(l.text);
        this.pending.end = l.end;
        this.pending.file = l.file;
        this.pending.since = now;
        continue;
      }
      if (this.pending) this.emit(this.pending, now, out);
      this.pending = { lines: [l.text], file: l.file, end: l.end, since: now };
    }
    if (this.pending && lines.length === 0 && now - this.pending.since >= this.idleMs) {
      this.emit(this.pending, now, out);
      this.pending = undefined;
    }
    return out;
  }

  private emit(p: Pending, now: number, out: FileEvent[]): void {
    let message = p.lines.join('\n');
    const ts = this.timestamp?.parse(message);
    if (ts !== undefined && this.trim) message = message.replace(new RegExp(this.timestamp!.source), '').trimStart();
    if (!this.filters.every((f) => f.re.test(message) === f.include)) return this.skip(p, out);
    if (message === '') return this.skip(p, out);
    if (Buffer.byteLength(message) > MAX_EVENT_BYTES) message = Buffer.from(message).subarray(0, MAX_EVENT_BYTES).toString('utf8');
    out.push({ timestamp: ts ?? now, message, file: p.file, end: p.end });
  }

  /** A dropped event still moves the checkpoint past its lines: an empty message carries the offset. */
  private skip(p: Pending, out: FileEvent[]): void {
    out.push({ timestamp: -1, message: '', file: p.file, end: p.end });
  }
}
