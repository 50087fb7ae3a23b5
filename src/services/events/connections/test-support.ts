/** Test support: connections over a fresh metadata store (either engine), a manual clock and a fake fetch. */
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { KeyStore } from '../../../store/keys/key-store.ts';
import { after } from 'node:test';
import type { MetaDb } from '../../../store/meta/sql/types.ts';
import { openTestMetaDb, type MetaEngine } from '../../../store/meta/test-support.ts';
import type { TargetDelivery } from '../dispatch.ts';
import { createConnections } from './index.ts';
import { CONNECTIONS_MIGRATION } from './schema.ts';

export interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** A fetch answering from `respond` and recording every request. */
export function fakeFetch(respond: (req: Seen) => { status: number; body?: string; headers?: Record<string, string> }) {
  const seen: Seen[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const req: Seen = {
      url: String(input), method: init?.method ?? 'GET', headers: Object.fromEntries(new Headers(init?.headers).entries()),
      ...(init?.body !== undefined && init.body !== null ? { body: String(init.body) } : {}),
    };
    seen.push(req);
    const r = respond(req);
    return new Response(r.status === 204 ? null : (r.body ?? ''), { status: r.status, headers: r.headers });
  }) as typeof globalThis.fetch;
  return { fetch, seen };
}

const opened: MetaDb[] = [];
after(async () => {
  for (const db of opened.splice(0)) await db.close();
});

/**
 * `realFetch`: requests go out over HTTP (to a server the test runs) instead of to `respond`.
 * `engine`: the metadata store to run on (in-memory SQLite without one), closed when the file's tests end.
 */
export async function setup(respond: Parameters<typeof fakeFetch>[0] = () => ({ status: 200 }), realFetch = false, engine?: MetaEngine) {
  const module = { name: 'events', migrations: [CONNECTIONS_MIGRATION] };
  const db = engine ? await engine.open(module) : await openTestMetaDb(module);
  opened.push(db);
  const clock = new ManualClock(1_700_000_000_000);
  const keys = KeyStore.fromMaster(Buffer.alloc(32, 7));
  const { fetch, seen } = fakeFetch(respond);
  const conns = createConnections({ db, clock, log: silentLogger, keys, timeoutMs: 1000, fetch: realFetch ? undefined : fetch });
  const ctx: Ctx = { account: '123456789012', region: 'us-east-1', principalArn: 'arn:aws:iam::123456789012:root', accessKeyId: 'test', requestId: 'r', clock, log: silentLogger };
  const delivery = (arn: string, target: Partial<TargetDelivery['target']> = {}): TargetDelivery => ({
    account: ctx.account, region: ctx.region, bus: 'default', rule: 'r1', ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/r1',
    target: { Id: 't1', Arn: arn, ...target }, event: '{}', ingestedAt: clock.now(),
  });
  return { db, clock, keys, conns, h: conns.handlers, ctx, seen, delivery, signal: new AbortController().signal };
}
