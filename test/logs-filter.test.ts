import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  InvalidParameterException,
  PutLogEventsCommand,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';

interface Vector { id: string; pattern: string; message: string; matches: boolean | null; expect_error?: unknown; minutes?: unknown }
const { cases } = JSON.parse(readFileSync(new URL('../../shared/vectors/filter-patterns.json', import.meta.url), 'utf8')) as { cases: Vector[] };

let server: TestServer;
let logs: CloudWatchLogsClient;

before(async () => {
  server = await startTestServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
});
after(async () => {
  logs?.destroy();
  await server?.stop();
  server?.cleanup();
});

async function group(name: string, streams: Record<string, { timestamp: number; message: string }[]>, kmsKeyId?: string) {
  await logs.send(new CreateLogGroupCommand({ logGroupName: name, kmsKeyId }));
  for (const [stream, events] of Object.entries(streams)) {
    await logs.send(new CreateLogStreamCommand({ logGroupName: name, logStreamName: stream }));
    if (events.length > 0) await logs.send(new PutLogEventsCommand({ logGroupName: name, logStreamName: stream, logEvents: events }));
  }
}

test('filter pattern vectors end to end through FilterLogEvents (SQL pushdown + JS recheck)', async () => {
  const sample = cases.filter((c) => c.matches !== null && !c.expect_error && !c.minutes);
  const now = Date.now();
  await group('/filter/vectors', Object.fromEntries(sample.map((c, i) => [`c${i}`, [{ timestamp: now, message: c.message }]])));
  for (const [i, c] of sample.entries()) {
    const r = await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter/vectors', logStreamNames: [`c${i}`], filterPattern: c.pattern }));
    assert.equal(r.events!.length, c.matches ? 1 : 0, `${c.id}: ${c.pattern} on ${c.message}`);
  }
});

test('an invalid pattern is InvalidParameterException, never match-all', async () => {
  for (const c of cases.filter((x) => x.expect_error)) {
    const err = await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter/vectors', filterPattern: c.pattern })).catch((e) => e);
    assert.ok(err instanceof InvalidParameterException, `${c.id}: ${c.pattern} → ${err?.name}`);
    assert.match(err.message, /Invalid filter pattern/);
  }
  const err = await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter/vectors', filterPattern: '{ $.a = ' })).catch((e) => e);
  assert.ok(err instanceof InvalidParameterException);
});

test('events from several streams interleave in timestamp order, with stream names and event ids', async () => {
  const t = Date.now() - 10_000;
  await group('/filter/interleave', {
    a: [{ timestamp: t, message: 'ERROR a1' }, { timestamp: t + 2, message: 'INFO a2' }, { timestamp: t + 4, message: 'ERROR a3' }],
    b: [{ timestamp: t + 1, message: 'ERROR b1' }, { timestamp: t + 3, message: 'ERROR b2' }],
    other: [{ timestamp: t + 5, message: 'ERROR other' }],
  });
  const r = await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter/interleave', filterPattern: 'ERROR', logStreamNames: ['a', 'b'] }));
  assert.deepEqual(r.events!.map((e) => [e.logStreamName, e.message]), [['a', 'ERROR a1'], ['b', 'ERROR b1'], ['b', 'ERROR b2'], ['a', 'ERROR a3']]);
  assert.equal(new Set(r.events!.map((e) => e.eventId)).size, 4);
  assert.deepEqual(r.searchedLogStreams, []);
  assert.equal(r.nextToken, undefined);

  const byPrefix = await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter/interleave', logStreamNamePrefix: 'oth' }));
  assert.deepEqual(byPrefix.events!.map((e) => e.message), ['ERROR other']);
  const range = await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter/interleave', startTime: t + 1, endTime: t + 3 }));
  assert.deepEqual(range.events!.map((e) => e.message), ['ERROR b1', 'INFO a2', 'ERROR b2'], 'startTime and endTime are both inclusive');
  await assert.rejects(
    logs.send(new FilterLogEventsCommand({ logGroupName: '/filter/interleave', logStreamNames: ['a'], logStreamNamePrefix: 'a' })),
    InvalidParameterException,
  );
});

test('pagination with limit returns every match exactly once', async () => {
  const t = Date.now() - 60_000;
  const events = Array.from({ length: 95 }, (_, i) => ({ timestamp: t + i, message: JSON.stringify({ level: i % 3 === 0 ? 'error' : 'info', n: i }) }));
  await group('/filter/pages', { s: events });
  const seen: number[] = [];
  let pages = 0;
  for await (const page of paginateFilterLogEvents({ client: logs, pageSize: 7 }, { logGroupName: '/filter/pages', filterPattern: '{ $.level = "error" }' })) {
    pages++;
    assert.ok(page.events!.length <= 7);
    seen.push(...page.events!.map((e) => JSON.parse(e.message!).n));
  }
  assert.deepEqual(seen, events.filter((_, i) => i % 3 === 0).map((_, k) => k * 3));
  assert.ok(pages >= 5);
});

test('encrypted groups are filtered after decryption', async () => {
  const KEY = 'arn:aws:kms:us-east-1:000000000000:key/aaaa-bbbb';
  await group('/filter/kms', { s: [{ timestamp: Date.now(), message: 'ERROR sealed' }, { timestamp: Date.now(), message: 'INFO sealed' }] }, KEY);
  const r = await logs.send(new FilterLogEventsCommand({ logGroupName: '/filter/kms', filterPattern: 'ERROR' }));
  assert.deepEqual(r.events!.map((e) => e.message), ['ERROR sealed']);
});

test('a rare term is found across many flushed blocks (per-block search index), sealed groups included', async () => {
  // Every FilterLogEvents call flushes what was acknowledged before it, so each round below is a
  // block of its own with its own search filter; the needle sits inside a longer word in one block.
  const KEY = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const t0 = Date.now() - 60_000;
  for (const [name, key] of [['/filter/blocks', undefined], ['/filter/blocks-sealed', KEY]] as const) {
    await group(name, { s: [] }, key);
    for (let round = 0; round < 8; round++) {
      const logEvents = Array.from({ length: 200 }, (_, i) => ({
        timestamp: t0 + round * 1000 + i,
        message: `GET /api/${round}/${i} status=200${round === 5 && i === 17 ? ' id=xRAREWORDx' : ''}${round === 2 && i === 3 ? ' RAREWORD' : ''}`,
      }));
      await logs.send(new PutLogEventsCommand({ logGroupName: name, logStreamName: 's', logEvents }));
      await logs.send(new FilterLogEventsCommand({ logGroupName: name, filterPattern: 'NothingLikeThis', limit: 1 }));
    }
    const found = await logs.send(new FilterLogEventsCommand({ logGroupName: name, filterPattern: 'RAREWORD' }));
    assert.deepEqual(found.events!.map((e) => e.message), ['GET /api/2/3 status=200 RAREWORD', 'GET /api/5/17 status=200 id=xRAREWORDx'], name);
    const both = await logs.send(new FilterLogEventsCommand({ logGroupName: name, filterPattern: '"api/5/17" RAREWORD' }));
    assert.equal(both.events!.length, 1, name);
    const none = await logs.send(new FilterLogEventsCommand({ logGroupName: name, filterPattern: 'RAREWORDS' }));
    assert.equal(none.events!.length, 0, name);
  }
});
