import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { NewOutboxRow } from '../../../store/meta/outbox.ts';
import { compileFilterPattern, type CompiledPattern } from '../filter-pattern/match.ts';
import { parseFilterPattern } from '../filter-pattern/parse.ts';
import type { IngestedBatch, IngestHook } from '../ingest-hooks.ts';
import type { SubscriptionDeps } from './deps.ts';
import { eventBytes, SUBSCRIPTION_TOPIC, type SubscriptionLogEvent, type SubscriptionRowPayload } from './payload.ts';
import { resolveForIngest } from './resolve.ts';

/** Compiled patterns kept per pattern text; cleared wholesale when it grows past this. */
const MAX_COMPILED = 1000;
/** A filter that cannot deliver is reported at most this often. */
const SKIP_LOG_INTERVAL_MS = 60_000;

/**
 * Matches each stored batch against the group's subscription filters and writes one outbox row
 * per (filter, batch) with the matching events. It runs before PutLogEvents answers and the rows
 * are committed (SQLite, WAL) before it returns, so an acknowledged event that matched is never
 * lost; if the outbox cannot be written the request fails and the client retries.
 */
export class SubscriptionIngestHook implements IngestHook {
  readonly name = 'subscription-filters';
  private readonly compiled = new Map<string, CompiledPattern>();
  private readonly lastSkipLog = new Map<string, number>();

  constructor(
    private readonly deps: SubscriptionDeps,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async onIngest(batch: IngestedBatch): Promise<void> {
    if (batch.events.length === 0) return;
    const filters = await this.deps.subs.filtersForGroup({ account: batch.account, region: batch.region, name: batch.logGroup });
    if (filters.length === 0) return;
    const rows: NewOutboxRow[] = [];
    for (const f of filters) {
      const pattern = this.matcher(f.filterPattern);
      if (!pattern) continue;
      const events: SubscriptionLogEvent[] = [];
      let bytes = 0;
      for (const e of batch.events) {
        if (!pattern.matches(e.message)) continue;
        const ev = { id: e.eventId, timestamp: e.timestamp, message: e.message };
        events.push(ev);
        bytes += eventBytes(ev);
      }
      if (events.length === 0) continue;
      const target = await resolveForIngest(this.deps, f);
      if ('skip' in target) {
        this.reportSkip(`${f.account}/${f.region}/${f.logGroup}/${f.name}`, target.skip, events.length);
        continue;
      }
      const payload: SubscriptionRowPayload = {
        type: 'data',
        owner: batch.account,
        logGroup: batch.logGroup,
        logStream: batch.logStream,
        filterName: f.name,
        destinationArn: f.destinationArn,
        events,
      };
      rows.push({ topic: SUBSCRIPTION_TOPIC, target: target.targetArn, payload: JSON.stringify(payload), items: events.length, bytes });
    }
    await this.deps.outbox.enqueue(rows, this.clock.now());
  }

  private matcher(text: string): CompiledPattern | undefined {
    let c = this.compiled.get(text);
    if (c) return c;
    try {
      c = compileFilterPattern(parseFilterPattern(text));
    } catch (err) {
      // Patterns are validated by PutSubscriptionFilter; one that no longer parses matches nothing.
      this.reportSkip(`pattern:${text}`, `stored filter pattern does not parse: ${(err as Error).message}`, 0);
      return undefined;
    }
    if (this.compiled.size >= MAX_COMPILED) this.compiled.clear();
    this.compiled.set(text, c);
    return c;
  }

  private reportSkip(key: string, reason: string, events: number): void {
    const now = this.clock.now();
    const last = this.lastSkipLog.get(key);
    if (last !== undefined && now - last < SKIP_LOG_INTERVAL_MS) return;
    if (this.lastSkipLog.size >= MAX_COMPILED) this.lastSkipLog.clear();
    this.lastSkipLog.set(key, now);
    this.log.warn({ filter: key, events }, `subscription filter not delivering: ${reason}`);
  }
}
