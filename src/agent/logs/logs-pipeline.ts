/**
 * The logs side of the agent: each `collect_list` entry's file_path glob is matched every poll
 * (blacklist and compressed files left out; without publish_multi_logs only the most recently
 * modified match is followed, as the agent does), each followed file is tailed from where the last
 * run delivered it (its checkpoint; a new file from its start), its lines become events
 * (line-events.ts) and go to the entry's log group and stream (log-publisher.ts). Delivered runs move
 * the checkpoints. A destination with 10,000 events waiting stops reading its files until it drains,
 * so an unreachable server costs memory only up to that — the files keep the rest.
 */
import { statSync, unlinkSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { globSync } from 'tinyglobby';
import type { Logger } from '../../lib/logger.ts';
import type { AgentConfigJson, CollectEntry } from '../config/schema.ts';
import type { HostFacts } from '../host-facts.ts';
import { Checkpoints } from './checkpoints.ts';
import { FileTailer } from './file-tailer.ts';
import { LineEvents } from './line-events.ts';
import { LogPublisher, type Destination, type QueuedEvent } from './log-publisher.ts';
import { EmfListener, emfEndpoints } from './emf-listener.ts';
import { compileTimestampFormat, type TimestampMatcher } from './timestamp-format.ts';
import { AgentConfigError } from '../config/load.ts';

const POLL_MS = 250;
/** How often a glob is matched again (new files); the matched files are read every POLL_MS. */
const GLOB_MS = 2000;
const GLOB_MAGIC = /[*?[\]{}()!]/;
const DEFAULT_FLUSH_S = 5;
const MAX_WAITING = 10_000;
/** The agent's group for EMF documents that name none. */
const EMF_DEFAULT_GROUP = 'emf/logs/default';
/** EMF documents have no file to wait in: beyond this many per stream, new ones are dropped (and logged). */
const MAX_WAITING_EMF = 100_000;
const NO_FILE = { dev: 0, ino: 0 };
const COMPRESSED = /\.(gz|tgz|zip|bz2|xz|zst|lz4|7z|z)$/i;

interface Followed { tailer: FileTailer; events: LineEvents; publisher: LogPublisher; source: Source }

interface Source {
  entry: CollectEntry;
  dest: (file: string) => Destination;
  decode: (b: Buffer) => string;
  blacklist?: RegExp;
  timestamp?: TimestampMatcher;
  start?: RegExp;
}

/** Compiles what an entry needs, refusing a bad encoding, timestamp format or pattern by its key path. */
function compileEntry(entry: CollectEntry, i: number): Pick<Source, 'decode' | 'blacklist' | 'timestamp' | 'start'> {
  const at = (key: string, e: unknown) => new AgentConfigError([`Under path : /logs/logs_collected/files/collect_list/${i}/${key} | Error : ${(e as Error).message}`]);
  const attempt = <T>(key: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw at(key, e);
    }
  };
  const decode = attempt('encoding', () => decoder(entry.encoding));
  const timestamp = entry.timestamp_format ? attempt('timestamp_format', () => compileTimestampFormat(entry.timestamp_format!, entry.timezone === 'UTC' ? 'UTC' : 'Local')) : undefined;
  const pattern = entry.multi_line_start_pattern;
  if (pattern === '{timestamp_format}' && !timestamp) throw at('multi_line_start_pattern', new Error('{timestamp_format} needs a timestamp_format'));
  const start = pattern === '{timestamp_format}' ? new RegExp(timestamp!.source) : pattern ? attempt('multi_line_start_pattern', () => new RegExp(pattern)) : undefined;
  (entry.filters ?? []).forEach((f, j) => attempt(`filters/${j}/expression`, () => new RegExp(f.expression)));
  const blacklist = entry.blacklist ? attempt('blacklist', () => new RegExp(entry.blacklist!)) : undefined;
  return { decode, ...(blacklist ? { blacklist } : {}), ...(timestamp ? { timestamp } : {}), ...(start ? { start } : {}) };
}

/** `{instance_id}`, `{hostname}`, `{local_hostname}`, `{ip_address}` in group and stream names. */
export function placeholders(name: string, facts: HostFacts): string {
  return name.replace(/\{(instance_id|hostname|local_hostname|ip_address)\}/g, (_, k: string) =>
    k === 'instance_id' ? facts.variables['aws:InstanceId'] ?? facts.hostname : k === 'ip_address' ? facts.ipAddress ?? '' : facts.hostname);
}

/** The most recently modified of some files. */
function newestOf(files: readonly string[]): string {
  const mtime = (f: string) => { try { return statSync(f).mtimeMs; } catch { return -1; } };
  return files.reduce((a, b) => (mtime(b) > mtime(a) ? b : a));
}

const withoutExtension = (p: string): string => {
  const ext = extname(p);
  return ext ? p.slice(0, -ext.length) : p;
};

export function decoder(encoding: string | undefined): (b: Buffer) => string {
  const label = (encoding ?? 'utf-8').toLowerCase();
  if (/^utf-?16/.test(label)) throw new Error(`encoding ${encoding}: only encodings where a newline is one byte are supported (utf-8, latin1, gbk, shift_jis, …)`);
  const d = new TextDecoder(label); // throws RangeError for an unknown label
  return (b) => d.decode(b);
}

/** Checks every collect_list entry (encoding, timestamp format, patterns); the number of entries. */
export function checkLogEntries(cfg: NonNullable<AgentConfigJson['logs']>): number {
  const list = cfg.logs_collected?.files.collect_list ?? [];
  list.forEach((e, i) => compileEntry(e, i));
  if (cfg.metrics_collected?.emf) {
    try {
      emfEndpoints(cfg.metrics_collected.emf.service_address);
    } catch (e) {
      throw new AgentConfigError([`Under path : /logs/metrics_collected/emf/service_address | Error : ${(e as Error).message}`]);
    }
  }
  return list.length;
}

export class LogsPipeline {
  private readonly followed = new Map<string, Followed>();
  private readonly publishers = new Map<string, LogPublisher>();
  private readonly sources: Source[];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly matched = new Map<Source, { at: number; files: string[] }>();
  private listener: EmfListener | undefined;

  constructor(private readonly cfg: NonNullable<AgentConfigJson['logs']>, private readonly facts: HostFacts, private readonly client: CloudWatchLogsClient,
    private readonly checkpoints: Checkpoints, private readonly log: Logger) {
    const defaultStream = cfg.log_stream_name ?? '{instance_id}';
    this.sources = (cfg.logs_collected?.files.collect_list ?? []).map((entry, i) => ({
      entry,
      ...compileEntry(entry, i),
      dest: (file) => ({
        // The agent's default group: the path without its extension.
        group: placeholders(entry.log_group_name ?? withoutExtension(entry.publish_multi_logs ? file : entry.file_path), facts),
        stream: placeholders(entry.log_stream_name ?? defaultStream, facts),
        ...(entry.retention_in_days !== undefined ? { retentionInDays: entry.retention_in_days } : {}),
        ...(entry.log_group_class ? { groupClass: entry.log_group_class } : {}),
      }),
    }));
  }

  /** Binds the EMF endpoint (a busy port fails here), then starts following the files. */
  async start(): Promise<void> {
    const emf = this.cfg.metrics_collected?.emf;
    if (emf) {
      const stream = placeholders(this.cfg.log_stream_name ?? '{instance_id}', this.facts);
      this.listener = new EmfListener(emfEndpoints(emf.service_address), (line) => this.emf(line, stream));
      await this.listener.start();
    }
    this.timers.push(setInterval(() => this.poll(), POLL_MS));
    this.timers.push(setInterval(() => void this.flush(), (this.cfg.force_flush_interval ?? DEFAULT_FLUSH_S) * 1000));
    this.poll();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.listener?.close();
    this.poll();
    await this.flush(Infinity);
    for (const f of this.followed.values()) f.tailer.close();
  }

  private flush(now = Date.now()): Promise<unknown> {
    return Promise.all([...this.publishers.values()].map((p) => p.flush(now)));
  }

  private poll(): void {
    for (const s of this.sources) {
      const files = this.targets(s);
      for (const file of files) this.read(file, s);
      if (s.entry.auto_removal && GLOB_MAGIC.test(s.entry.file_path)) this.removeSuperseded(s, files);
    }
  }

  /**
   * auto_removal: a followed file that is no longer the newest match of its glob (the log moved on
   * to a new file) is read to its end and deleted once every byte of it is delivered — a file whose
   * last line never got its newline is kept. A single file (a plain path) is never removed.
   */
  private removeSuperseded(s: Source, files: readonly string[]): void {
    const newest = files.length <= 1 ? files[0] : newestOf(files);
    for (const [file, f] of this.followed) {
      if (f.source !== s || file === newest) continue;
      if (!files.includes(file)) this.read(file, s);
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        this.followed.delete(file); // gone already
        f.tailer.close();
        continue;
      }
      if ((this.checkpoints.get(file)?.offset ?? -1) < size || f.publisher.queue.some((e) => e.path === file)) continue;
      try {
        unlinkSync(file);
        this.log.info({ file }, 'auto_removal: every line delivered; file removed');
      } catch (e) {
        this.log.warn({ file, err: (e as Error).message }, 'auto_removal: the file could not be removed');
      }
      this.followed.delete(file);
      f.tailer.close();
    }
  }

  private targets(s: Source): string[] {
    // A plain path needs no matching (most configs); a glob is matched again every GLOB_MS.
    if (!GLOB_MAGIC.test(s.entry.file_path)) return [s.entry.file_path];
    const now = Date.now();
    const cached = this.matched.get(s);
    if (cached && now - cached.at < GLOB_MS) return cached.files;
    const files = this.match(s);
    this.matched.set(s, { at: now, files });
    return files;
  }

  private match(s: Source): string[] {
    let matches: string[];
    try {
      matches = globSync(s.entry.file_path, { absolute: true, onlyFiles: true, dot: true });
    } catch (e) {
      this.log.warn({ file_path: s.entry.file_path, err: (e as Error).message }, 'file_path could not be matched');
      return [];
    }
    matches = matches.filter((f) => !COMPRESSED.test(f) && !(s.blacklist?.test(basename(f))));
    if (s.entry.publish_multi_logs || matches.length <= 1) return matches;
    return [newestOf(matches)];
  }

  private publisher(dest: Destination): LogPublisher {
    const key = `${dest.group}\u0000${dest.stream}`;
    let p = this.publishers.get(key);
    if (!p) this.publishers.set(key, (p = new LogPublisher(dest, this.client, this.log, (run) => this.delivered(run))));
    return p;
  }

  /** An EMF document (emf-listener.ts) to its `_aws` group and stream; it has no file, so no checkpoint. */
  private emf(line: string, defaultStream: string): void {
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch {
      this.log.warn({ line: line.slice(0, 200) }, 'EMF: not a JSON document; dropped');
      return;
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return;
    const aws = (doc as { _aws?: { LogGroupName?: unknown; LogStreamName?: unknown; Timestamp?: unknown } })._aws;
    const group = typeof aws?.LogGroupName === 'string' && aws.LogGroupName ? aws.LogGroupName : EMF_DEFAULT_GROUP;
    const stream = typeof aws?.LogStreamName === 'string' && aws.LogStreamName ? aws.LogStreamName : defaultStream;
    const p = this.publisher({ group, stream });
    if (p.queue.length >= MAX_WAITING_EMF) {
      this.log.warn({ group }, 'EMF: too many documents waiting for the server; dropped');
      return;
    }
    const timestamp = Number.isSafeInteger(aws?.Timestamp) ? aws!.Timestamp as number : Date.now();
    p.queue.push({ timestamp, message: line, file: NO_FILE, end: 0, path: '' });
  }

  private read(file: string, s: Source): void {
    let f = this.followed.get(file);
    if (!f) {
      const dest = s.dest(file);
      const publisher = this.publisher(dest);
      f = { tailer: new FileTailer(file, s.decode, this.checkpoints.get(file)), events: new LineEvents(s.entry, s.timestamp, s.start), publisher, source: s };
      this.followed.set(file, f);
      this.log.info({ file, group: dest.group, stream: dest.stream }, 'following log file');
    }
    if (f.publisher.queue.length >= MAX_WAITING) return;
    const events = f.events.push(f.tailer.read());
    for (const e of events) f.publisher.queue.push({ ...e, path: file });
    if (f.publisher.queue.length >= MAX_WAITING) void f.publisher.flush();
  }

  private delivered(run: readonly QueuedEvent[]): void {
    const last = new Map<string, QueuedEvent>();
    for (const e of run) if (e.path) last.set(e.path, e);
    for (const [path, e] of last) this.checkpoints.set(path, { ...e.file, offset: e.end });
  }
}
