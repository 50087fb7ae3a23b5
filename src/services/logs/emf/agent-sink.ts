/**
 * What the CloudWatch agent does with EMF documents it receives on its TCP/UDP listener (port
 * 25888): each document becomes one log event in the log group and stream the document names, the
 * group and stream are created when missing, and events are sent in PutLogEvents batches. Here the
 * batches go through the Logs service's own PutLogEvents handler, so every rule of the API applies
 * (14-day / 2-hour window, retention, KMS sealing) and the ingest hooks run: EMF metrics are
 * extracted, metric and subscription filters apply, exactly as for a client's PutLogEvents.
 *
 * Destination, per document:
 * - log group: `_aws.LogGroupName`, else `emf/logs/default` (the agent's default,
 *   amazon-cloudwatch-agent `defaultLogGroupName`). aws-embedded-metrics in Agent mode always sends
 *   `_aws.LogGroupName`, defaulting it to `<ServiceName>-metrics` itself (protocols.md §8).
 * - log stream: `_aws.LogStreamName`, else the configured default stream (the agent uses the
 *   `log_stream_name` of its config, by default the instance id or host name; Osprey uses the host
 *   name of the Osprey server).
 * - event time: `_aws.Timestamp` when it is an integer, else the time the document arrived.
 * The document is stored as received (minus the newline); lines that are not JSON objects are
 * dropped (they name no destination), as are documents whose group or stream name the API would
 * refuse.
 *
 * Documents are buffered per destination and flushed every `flushIntervalMs` (the agent's
 * force_flush_interval is 5 s; Osprey defaults to 200 ms so that metrics show up promptly), or at
 * once when a batch is full (10,000 events or 1,048,576 bytes, counting 26 bytes per event).
 * Nothing is acknowledged to the sender (the agent protocol has no replies), so a document is safe
 * once its batch's PutLogEvents returned; close() flushes everything buffered.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import { regionlessArn } from '../../../lib/arn.ts';
import { isServiceError, type ServiceError } from '../../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, batches, type InputLogEvent } from '../log-batches.ts';

export type { InputLogEvent };

export const AGENT_DEFAULT_LOG_GROUP = 'emf/logs/default';


/** The three Logs operations the agent uses. */
export type AgentOperation = 'CreateLogGroup' | 'CreateLogStream' | 'PutLogEvents';

/** The Logs API as an internal caller sees it (env.call / env.check narrowed to Logs). */
export interface AgentLogsApi {
  /** Runs the operation after the same validation as a wire request. */
  call<K extends AgentOperation>(operation: K, ctx: Ctx, input: CallInput<'logs', K>): Promise<CallOutput<'logs', K>>;
  /** What the API would refuse in this input, without running anything. */
  check<K extends AgentOperation>(operation: K, input: CallInput<'logs', K>): ServiceError | undefined;
}

export interface EmfAgentSinkOptions {
  api: AgentLogsApi;
  /** Whose log groups the documents go to (the listener is not authenticated, like the agent's). */
  account: string;
  region: string;
  clock: Clock;
  log: Logger;
  defaultLogGroup?: string;
  defaultLogStream?: string;
  flushIntervalMs?: number;
  /** Documents buffered beyond this are dropped (and logged) until a flush makes room. */
  maxBufferedEvents?: number;
}

interface Destination {
  group: string;
  stream: string;
  events: InputLogEvent[];
  bytes: number;
}

export class EmfAgentSink {
  private readonly buffers = new Map<string, Destination>();
  private buffered = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Flushes run one after another, so a stream's batches are written in order. */
  private chain: Promise<void> = Promise.resolve();
  /** Destinations known to exist (created or seen), so the create calls happen once. */
  private readonly known = new Set<string>();
  private closed = false;
  private readonly opts: Required<EmfAgentSinkOptions>;
  private readonly counters = { documents: 0, dropped: 0, stored: 0, rejected: 0 };

  constructor(opts: EmfAgentSinkOptions) {
    this.opts = {
      defaultLogGroup: AGENT_DEFAULT_LOG_GROUP,
      defaultLogStream: hostname() || 'osprey',
      flushIntervalMs: 200,
      maxBufferedEvents: 100_000,
      ...opts,
    };
  }

  /** Takes one received line (one EMF document). Never throws: bad input is logged and dropped. */
  accept(line: string, receivedAt: number = this.opts.clock.now()): void {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.trim() === '') return;
    this.counters.documents++;
    if (this.closed) return this.drop('the EMF listener is shutting down');
    if (this.buffered >= this.opts.maxBufferedEvents) return this.drop('too many EMF documents are waiting to be stored');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return this.drop('not valid JSON');
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return this.drop('not a JSON object');
    const meta = (doc as { _aws?: unknown })._aws;
    const aws = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {};
    const group = nonEmptyString(aws.LogGroupName) ?? this.opts.defaultLogGroup;
    const stream = nonEmptyString(aws.LogStreamName) ?? this.opts.defaultLogStream;
    const ts = typeof aws.Timestamp === 'number' && Number.isSafeInteger(aws.Timestamp) && aws.Timestamp >= 0 ? aws.Timestamp : receivedAt;

    const key = JSON.stringify([group, stream]);
    let d = this.buffers.get(key);
    if (d === undefined) this.buffers.set(key, (d = { group, stream, events: [], bytes: 0 }));
    d.events.push({ timestamp: ts, message: text });
    d.bytes += Buffer.byteLength(text, 'utf8') + EVENT_OVERHEAD_BYTES;
    this.buffered++;
    if (d.events.length >= MAX_BATCH_EVENTS || d.bytes >= MAX_BATCH_BYTES) void this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.opts.flushIntervalMs);
      // Shutdown flushes through close(); a pending timer must not keep the process alive.
      this.timer.unref();
    }
  }

  /** Sends everything buffered so far; resolves when it has been stored (or refused). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const work = [...this.buffers.values()];
    this.buffers.clear();
    this.buffered = 0;
    this.chain = this.chain.then(async () => {
      for (const d of work) await this.send(d);
    });
    return this.chain;
  }

  /** Refuses further documents and stores the buffered ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  stats(): { documents: number; dropped: number; stored: number; rejected: number } {
    return { ...this.counters };
  }

  private drop(reason: string): void {
    this.counters.dropped++;
    this.opts.log.warn({ reason }, 'EMF document dropped');
  }

  private ctx(): Ctx {
    const { account, region, clock, log } = this.opts;
    return { account, region, principalArn: regionlessArn('iam', { account, region }, 'root'), accessKeyId: '', requestId: randomUUID(), clock, log };
  }

  private async send(d: Destination): Promise<void> {
    // PutLogEvents wants chronological order within a batch (the sort is stable, so equal
    // timestamps keep their arrival order).
    const events = d.events.sort((a, b) => a.timestamp - b.timestamp);
    for (const batch of batches(events)) {
      const input = { logGroupName: d.group, logStreamName: d.stream, logEvents: batch };
      const problem = this.invalidInput(input);
      if (problem !== undefined) {
        this.counters.dropped += batch.length;
        this.opts.log.warn({ logGroup: d.group, logStream: d.stream, problem, events: batch.length }, 'EMF documents dropped');
        continue;
      }
      try {
        await this.put(input);
        this.counters.stored += batch.length;
      } catch (err) {
        this.counters.dropped += batch.length;
        this.opts.log.error({ err, logGroup: d.group, logStream: d.stream, events: batch.length }, 'EMF documents could not be stored');
      }
    }
  }

  /** PutLogEvents, creating the group and stream first when needed (once per destination). */
  private async put(input: { logGroupName: string; logStreamName: string; logEvents: InputLogEvent[] }): Promise<void> {
    const key = JSON.stringify([input.logGroupName, input.logStreamName]);
    for (let attempt = 0; ; attempt++) {
      if (!this.known.has(key)) {
        await this.ignoreExists(() => this.opts.api.call('CreateLogGroup', this.ctx(), { logGroupName: input.logGroupName }));
        await this.ignoreExists(() => this.opts.api.call('CreateLogStream', this.ctx(), { logGroupName: input.logGroupName, logStreamName: input.logStreamName }));
        this.known.add(key);
      }
      try {
        const out = await this.opts.api.call('PutLogEvents', this.ctx(), input);
        if (out?.rejectedLogEventsInfo) {
          this.counters.rejected++;
          this.opts.log.warn({ logGroup: input.logGroupName, logStream: input.logStreamName, ...out.rejectedLogEventsInfo },
            'some EMF documents were outside the accepted time window');
        }
        return;
      } catch (e) {
        // Deleted since we created it: create again, once.
        if (attempt === 0 && isServiceError(e) && e.code === 'ResourceNotFoundException') {
          this.known.delete(key);
          continue;
        }
        throw e;
      }
    }
  }

  private async ignoreExists(op: () => Promise<unknown>): Promise<void> {
    try {
      await op();
    } catch (e) {
      if (!(isServiceError(e) && e.code === 'ResourceAlreadyExistsException')) throw e;
    }
  }

  /** What the API would refuse in this request (group/stream name patterns, sizes), checked before anything is created. */
  private invalidInput(input: CallInput<'logs', 'PutLogEvents'>): string | undefined {
    return this.opts.api.check('PutLogEvents', input)?.message;
  }
}

function nonEmptyString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
