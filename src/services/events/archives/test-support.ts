/**
 * Unit-test support for archives and replays: a migrated store (either engine), a manual clock, a
 * recording dispatcher and a stand-in pattern matcher (the real one lives in lib/event-pattern and
 * has its own tests; these tests are about archiving and replaying, not matching).
 */
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { after } from 'node:test';
import type { MetaDb } from '../../../store/meta/sql/types.ts';
import { openTestMetaDb, type MetaEngine } from '../../../store/meta/test-support.ts';
import type { BusEvent } from '../dispatch.ts';
import { EventsStore } from '../repo.ts';
import { EVENTS_MIGRATIONS } from '../schema.ts';
import { ArchiveStore } from './archive-repo.ts';
import type { ArchiveHandlerDeps } from './deps.ts';
import type { EventMatcher } from './listener.ts';
import { ReplayStore } from './replay-repo.ts';

export const T0 = Date.parse('2026-01-01T00:00:00Z');
export const ACCOUNT = '000000000000';
export const OTHER_ACCOUNT = '111111111111';

/**
 * Matches `{ key: [values…], nested: { … } }` patterns only — enough to tell archived events from
 * others. Anything that is not such a pattern is refused as AWS refuses bad patterns.
 */
export function fakeCompile(text: string): EventMatcher {
  const pattern = JSON.parse(text) as unknown;
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) {
    throw new ServiceError('InvalidEventPatternException', 'Event pattern is not valid. Reason: Filter is not an object');
  }
  const match = (p: Record<string, unknown>, e: Record<string, unknown>): boolean => Object.entries(p).every(([k, v]) =>
    Array.isArray(v) ? v.includes(e[k]) : typeof e[k] === 'object' && e[k] !== null && match(v as Record<string, unknown>, e[k] as Record<string, unknown>));
  return { matchesJson: (json) => match(pattern as Record<string, unknown>, JSON.parse(json) as Record<string, unknown>) };
}

export interface Dispatched {
  account: string;
  region: string;
  bus: string;
  events: BusEvent[];
  only?: ReadonlySet<string>;
}

export function recordingDispatcher() {
  const calls: Dispatched[] = [];
  return {
    calls,
    async dispatch(s: { account: string; region: string }, bus: string, events: BusEvent[], only?: ReadonlySet<string>) {
      calls.push({ account: s.account, region: s.region, bus, events, only });
      return events.map(() => 1);
    },
  };
}

export function ctxFor(clock: ManualClock, account = ACCOUNT, region = 'us-east-1'): Ctx {
  return { account, region, principalArn: `arn:aws:iam::${account}:root`, accessKeyId: 'test', requestId: 'r', clock, log: silentLogger };
}

const opened: MetaDb[] = [];
after(async () => {
  for (const db of opened.splice(0)) await db.close();
});

/** A fresh events store on `engine` (in-memory SQLite without one), closed when the file's tests end. */
export async function setup(engine?: MetaEngine) {
  const module = { name: 'events', migrations: EVENTS_MIGRATIONS };
  const db = engine ? await engine.open(module) : await openTestMetaDb(module);
  opened.push(db);
  const clock = new ManualClock(T0);
  const events = new EventsStore(db);
  const archives = new ArchiveStore(db);
  const replays = new ReplayStore(db);
  let kicks = 0;
  const deps: ArchiveHandlerDeps = {
    archives, replays, events, clock, log: silentLogger,
    checkPattern: (text) => void fakeCompile(text),
    kick: () => {
      kicks += 1;
    },
  };
  return { db, clock, events, archives, replays, deps, ctx: ctxFor(clock), kicks: () => kicks };
}

/** An event as PutEvents builds it. */
export function busEvent(fields: { source: string; time: number; detail?: unknown; region?: string; account?: string }, ingestedAt = fields.time): BusEvent {
  const event = {
    version: '0', id: `id-${fields.source}-${fields.time}`, 'detail-type': 'Test', source: fields.source, account: fields.account ?? ACCOUNT,
    time: new Date(fields.time).toISOString().replace('.000Z', 'Z'), region: fields.region ?? 'us-east-1', resources: [], detail: fields.detail ?? {},
  };
  return { event, json: JSON.stringify(event), ingestedAt };
}
