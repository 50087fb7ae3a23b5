import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { LiveTailSessionLogEvent, LiveTailSessionStart, SessionTimeoutException, StartLiveTailResponseStream } from '@aws-sdk/client-cloudwatch-logs';
import type { Logger } from '../../lib/logger.ts';
import type { LogsMetaRepo } from '../../store/meta/logs.ts';
import { compileFilterPattern, parseFilterPattern, type CompiledPattern } from './filter-pattern/index.ts';
import type { IngestHook, IngestedBatch } from './ingest-hooks.ts';
import { groupNotFound, logGroupArnBare, required, resolveIdentifier } from './names.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

/** AWS's Live Tail limits: 15 concurrent sessions per account, 3 h per session, 500 events per update. */
export const MAX_SESSIONS_PER_ACCOUNT = 15;
export const SESSION_MAX_MS = 3 * 3600_000;
export const MAX_EVENTS_PER_UPDATE = 500;

interface Session {
  account: string;
  region: string;
  /** group name → the identifier the caller used, echoed in each event's logGroupIdentifier. */
  groups: Map<string, string>;
  streams?: Set<string>;
  prefixes?: string[];
  pattern?: CompiledPattern;
  buffer: LiveTailEvent[];
  sampled: boolean;
}

/** A buffered event: every member of LiveTailSessionLogEvent is set. */
type LiveTailEvent = { [K in keyof LiveTailSessionLogEvent]-?: NonNullable<LiveTailSessionLogEvent[K]> };

/**
 * The SDK types the stream's exception member as its SessionTimeoutException class; the encoder
 * sends only the model's members (`message`), so a plain object with the class's fields stands in.
 */
const sessionTimeout = (message: string): SessionTimeoutException => ({ name: 'SessionTimeoutException', $fault: 'client', $metadata: {}, message });

/** Other nodes, told which groups this node's sessions tail (live-tail-relay.ts). */
export interface LiveTailPeers {
  opened(sessionId: string, account: string, region: string, groups: readonly string[]): Promise<void>;
  closed(sessionId: string): Promise<void>;
  /** The account's sessions running on other nodes (the quota is per account, not per node). */
  count(account: string): Promise<number>;
}

/**
 * Live Tail: sessions subscribe in memory to events as PutLogEvents stores them (this hook), and a
 * per-session generator flushes what arrived once a second as a sessionUpdate, like CloudWatch.
 * Live data only: nothing here needs to survive a restart (the client reconnects). With several
 * nodes, `peers` relays the tailed groups' events other nodes ingest into onIngest too.
 */
export class LiveTailHub implements IngestHook {
  readonly name = 'live-tail';
  private readonly sessions = new Set<Session>();
  private stopped = false;

  constructor(private readonly updateIntervalMs = 1000, private readonly peers?: LiveTailPeers, private readonly log?: Pick<Logger, 'warn'>) {}

  /** How many sessions run on this node. */
  size(): number {
    return this.sessions.size;
  }

  async onIngest(batch: IngestedBatch): Promise<void> {
    for (const s of this.sessions) {
      if (s.account !== batch.account || s.region !== batch.region) continue;
      const identifier = s.groups.get(batch.logGroup);
      if (identifier === undefined) continue;
      if (s.streams && !s.streams.has(batch.logStream)) continue;
      if (s.prefixes && !s.prefixes.some((p) => batch.logStream.startsWith(p))) continue;
      for (const e of batch.events) {
        if (s.pattern && !s.pattern.matches(e.message)) continue;
        // Beyond the per-update cap CloudWatch samples; here the surplus is dropped and flagged.
        if (s.buffer.length >= MAX_EVENTS_PER_UPDATE) {
          s.sampled = true;
          break;
        }
        s.buffer.push({ logStreamName: batch.logStream, logGroupIdentifier: identifier, message: e.message, timestamp: e.timestamp, ingestionTime: e.ingestionTime });
      }
    }
  }

  /** Server shutdown: every session ends at its next tick (within one update interval). */
  close(): void {
    this.stopped = true;
  }

  /** The account's sessions on every node. */
  async count(account: string): Promise<number> {
    let n = 0;
    for (const s of this.sessions) if (s.account === account) n++;
    return n + (await this.peers?.count(account) ?? 0);
  }

  async *run(session: Session, start: LiveTailSessionStart, maxMs: number): AsyncGenerator<StartLiveTailResponseStream> {
    this.sessions.add(session);
    const id = start.sessionId!;
    try {
      // Before sessionStart: once the client sees it, events sent to any node reach the session.
      await this.peers?.opened(id, session.account, session.region, [...session.groups.keys()]);
      yield { sessionStart: start };
      const end = Date.now() + maxMs;
      while (Date.now() < end && !this.stopped) {
        await new Promise((r) => setTimeout(r, Math.min(this.updateIntervalMs, Math.max(0, end - Date.now()))));
        const results = session.buffer.splice(0).sort((a, b) => a.timestamp - b.timestamp);
        yield { sessionUpdate: { sessionMetadata: { sampled: session.sampled }, sessionResults: results } };
        session.sampled = false;
      }
      if (!this.stopped) yield { SessionTimeoutException: sessionTimeout('Session timed out after 3 hours.') };
    } finally {
      this.sessions.delete(session);
      await this.peers?.closed(id).catch((err: unknown) => this.log?.warn({ err }, 'live tail: could not withdraw a session from other nodes'));
    }
  }
}

/** What StartLiveTail needs (a subset of LogsDeps, named here so this file does not import it). */
export interface LiveTailDeps {
  meta: Pick<LogsMetaRepo, 'getGroup'>;
  liveTail: LiveTailHub;
  /** Session length; AWS's 3 hours unless a test shortens it. */
  liveTailMaxMs?: number;
}

export async function startLiveTail(deps: LiveTailDeps, ctx: Ctx, input: CallInput<'logs', 'StartLiveTail'>): Promise<CallOutput<'logs', 'StartLiveTail'>> {
  const logGroupIdentifiers = required(input.logGroupIdentifiers, 'logGroupIdentifiers');
  if (input.logStreamNames !== undefined && input.logStreamNamePrefixes !== undefined) {
    throw new ServiceError('InvalidParameterException', 'logStreamNames and logStreamNamePrefixes are mutually exclusive parameters.');
  }
  if ((input.logStreamNames || input.logStreamNamePrefixes) && logGroupIdentifiers.length !== 1) {
    throw new ServiceError('InvalidParameterException', 'logStreamNames and logStreamNamePrefixes can only be used with exactly one log group.');
  }
  const pattern = input.logEventFilterPattern ? compileFilterPattern(parseFilterPattern(input.logEventFilterPattern)) : undefined;
  const groups = new Map<string, string>();
  for (const id of logGroupIdentifiers) {
    const key = resolveIdentifier(ctx, id);
    if (!(await deps.meta.getGroup(key))) throw groupNotFound();
    groups.set(key.name, id.startsWith('arn:') ? id : logGroupArnBare(ctx, key.name));
  }
  if ((await deps.liveTail.count(ctx.account)) >= MAX_SESSIONS_PER_ACCOUNT) {
    throw new ServiceError('LimitExceededException', `You have reached the maximum of ${MAX_SESSIONS_PER_ACCOUNT} concurrent Live Tail sessions.`);
  }
  const session: Session = {
    account: ctx.account,
    region: ctx.region,
    groups,
    streams: input.logStreamNames ? new Set(input.logStreamNames) : undefined,
    prefixes: input.logStreamNamePrefixes,
    pattern,
    buffer: [],
    sampled: false,
  };
  const start: LiveTailSessionStart = {
    requestId: ctx.requestId,
    sessionId: randomUUID(),
    logGroupIdentifiers,
    logStreamNames: input.logStreamNames,
    logStreamNamePrefixes: input.logStreamNamePrefixes,
    logEventFilterPattern: input.logEventFilterPattern,
  };
  return { responseStream: deps.liveTail.run(session, start, deps.liveTailMaxMs ?? SESSION_MAX_MS) };
}
