/**
 * The bus listener that fills archives: the Dispatcher calls it with every batch a bus accepted,
 * before PutEvents answers, so an acknowledged event is in its archives (one metadata transaction).
 * Replayed events (they carry "replay-name") are never archived again, as on AWS.
 */
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { BusListener } from '../dispatch.ts';
import type { ArchiveAppend, ArchiveRepo } from './archive-repo.ts';

/** Compiled archive patterns kept; past this the cache starts over (patterns are checked on Create/UpdateArchive). */
const MAX_CACHED_PATTERNS = 1000;

/** The event's own time (`time`, which PutEvents may have taken from the entry), else when the bus accepted it. */
export function eventTimeOf(event: Record<string, unknown>, ingestedAt: number): number {
  const t = typeof event.time === 'string' ? Date.parse(event.time) : NaN;
  return Number.isFinite(t) ? t : ingestedAt;
}

/** What the listener needs of a compiled event pattern (lib/event-pattern's CompiledPattern). */
export interface EventMatcher {
  /** On the JSON text, as rules match: number spelling matters to some patterns. */
  matchesJson(json: string): boolean;
}

export interface ArchiveListenerDeps {
  archives: ArchiveRepo;
  clock: Clock;
  log: Logger;
  /** lib/event-pattern's compileEventPattern (injected: the listener is tested with a stand-in). */
  compile(text: string): EventMatcher;
}

export function archiveListener(deps: ArchiveListenerDeps): BusListener {
  const patterns = new Map<string, EventMatcher | null>();
  const compiled = (text: string): EventMatcher | null => {
    let p = patterns.get(text);
    if (p === undefined) {
      try {
        p = deps.compile(text);
      } catch (err) {
        // Stored patterns were accepted when written; a pattern the matcher no longer accepts archives nothing.
        deps.log.warn({ err, pattern: text }, 'events: archive pattern does not compile; archiving nothing for it');
        p = null;
      }
      if (patterns.size >= MAX_CACHED_PATTERNS) patterns.clear();
      patterns.set(text, p);
    }
    return p;
  };

  return async (s, bus, events) => {
    const fresh = events.filter((e) => !('replay-name' in e.event));
    if (fresh.length === 0) return;
    const archives = await deps.archives.ofBus(s, bus);
    if (archives.length === 0) return;
    const now = deps.clock.now();
    const rows: ArchiveAppend[] = [];
    for (const a of archives) {
      const pattern = a.eventPattern === undefined ? undefined : compiled(a.eventPattern);
      if (pattern === null) continue;
      for (const e of fresh) {
        if (pattern && !pattern.matchesJson(e.json)) continue;
        rows.push({ archiveId: a.id, eventTime: eventTimeOf(e.event, e.ingestedAt), archivedAt: now, json: e.json });
      }
    }
    await deps.archives.append(rows);
  };
}
