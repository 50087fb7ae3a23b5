// Runs every Logs Insights vector (../shared/vectors/logs-insights.json) end to end: compile → SQL
// in embedded ClickHouse (chDB) over log_events → compare with the expected rows, by the vectors'
// README rules (numbers numerically, `ordered: false` as a multiset, only the listed columns,
// `alternatives` accepted, `expected_rows: null` = rejected with MalformedQueryException).
// One chDB data directory per process (each test file is its own process): all tests here share it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbEngine } from '../../../store/telemetry/engine.ts';
import { migrate } from '../../../store/telemetry/migrations.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import { rowsMatch, alternativeRows, type VectorQuery } from '../../../../test/helpers/insights-vectors.ts';
import { globToRegex } from './commands/parse.ts';
import {
  compileInsightsQuery, decodePtr, logGroupFieldsSampleSql, queryErrorFromEngine, summarizeFields, toResultFields,
  type InsightsQueryOptions,
} from './index.ts';
import { DOC_QUERIES } from './test-queries.ts';

interface VectorEvent {
  id: string;
  '@timestamp': string;
  '@timestamp_ms'?: number;
  '@logStream': string;
  '@message': string;
}


const vectors = JSON.parse(readFileSync(new URL('../../../../../shared/vectors/logs-insights.json', import.meta.url), 'utf8')) as {
  datasets: Record<string, { logGroup: string; events: VectorEvent[] }>;
  queries: VectorQuery[];
};

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const NOW = Date.UTC(2024, 0, 1, 1, 0, 0);

const dir = mkdtempSync(join(tmpdir(), 'osprey-insights-'));
let engine: ChdbEngine;

const tsOf = (e: VectorEvent): number => e['@timestamp_ms'] ?? Date.parse(`${e['@timestamp'].replace(' ', 'T')}Z`);

before(async () => {
  engine = await ChdbEngine.open({ path: dir });
  await migrate(engine);
  const rows: Record<string, unknown>[] = [];
  let seq = 0;
  for (const ds of Object.values(vectors.datasets)) {
    for (const e of ds.events) {
      const ts = tsOf(e);
      rows.push({ account: ACCOUNT, region: REGION, log_group: ds.logGroup, log_stream: e['@logStream'], ts, ingest_ts: ts + 250, seq: seq++, message: e['@message'], key_id: '' });
    }
  }
  // A sealed event in the main group and an event of another account: neither may ever show up.
  rows.push({ account: ACCOUNT, region: REGION, log_group: '/vectors/app', log_stream: 'web-1', ts: 1704067206000, ingest_ts: 1704067206000, seq: seq++, message: 'c2VhbGVk', key_id: 'arn:aws:kms:us-east-1:123456789012:key/k' });
  rows.push({ account: '999999999999', region: REGION, log_group: '/vectors/app', log_stream: 'web-1', ts: 1704067207000, ingest_ts: 1704067207000, seq: seq++, message: '{"level":"INFO","user":"mallory"}', key_id: '' });
  const lambda = [
    'START RequestId: 8f5b2d1e-0001 Version: $LATEST',
    'END RequestId: 8f5b2d1e-0001',
    'REPORT RequestId: 8f5b2d1e-0001\tDuration: 2.25 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 70 MB\tInit Duration: 150.20 ms\t',
    'REPORT RequestId: 8f5b2d1e-0002\tDuration: 100.00 ms\tBilled Duration: 100 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t',
  ];
  lambda.push('2024-01-01T00:00:00.004Z\t8f5b2d1e-0002\tINFO\t{"orderId":"o-1","amount":12.5}');
  for (const group of ['/vectors/lambda', '/aws/lambda/fn']) {
    lambda.forEach((message, i) => {
      rows.push({ account: ACCOUNT, region: REGION, log_group: group, log_stream: 'l', ts: 1704067200000 + i, ingest_ts: 1704067200000 + i, seq: seq++, message, key_id: '' });
    });
  }
  const payload = Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n'));
  await engine.insert('log_events', ['account', 'region', 'log_group', 'log_stream', 'ts', 'ingest_ts', 'seq', 'message', 'key_id'], payload, 'JSONEachRow');
});

after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

function options(logGroup: string, extra: Partial<InsightsQueryOptions> = {}): InsightsQueryOptions {
  return { account: ACCOUNT, region: REGION, logGroups: [logGroup], startMs: 0, endMs: NOW, nowMs: NOW, ...extra };
}

type Row = Record<string, string>;

async function run(query: string, logGroup = '/vectors/app', extra: Partial<InsightsQueryOptions> = {}): Promise<Row[]> {
  const q = compileInsightsQuery(query, options(logGroup, extra));
  const rows = await engine.query<Record<string, string | null>>(q.sql, q.params);
  return toResultFields(rows, q.columns).map((r) => Object.fromEntries(r.map((f) => [f.field, f.value])));
}

describe('Logs Insights vectors', () => {
  for (const v of vectors.queries) {
    test(`${v.id}: ${v.query.replace(/\n/g, ' ')}`, async () => {
      const ds = vectors.datasets[v.dataset]!;
      if (v.expected_rows === null) {
        assert.throws(() => compileInsightsQuery(v.query, options(ds.logGroup)), (e: unknown) => {
          assert.ok(e instanceof ServiceError, String(e));
          assert.equal(e.code, 'MalformedQueryException');
          return true;
        });
        return;
      }
      const actual = await run(v.query, ds.logGroup);
      const candidates = [v.expected_rows, ...alternativeRows(v)];
      const ok = candidates.some((exp) => rowsMatch(actual, exp, v.ordered));
      assert.ok(ok, `rows differ\nactual:   ${JSON.stringify(actual)}\nexpected: ${JSON.stringify(v.expected_rows)}` +
        (v.alternatives ? `\nalternatives: ${JSON.stringify(v.alternatives)}` : ''));
    });
  }
});

describe('result shape', () => {
  test('a query without fields, display or stats returns @timestamp and @message, newest first, with @ptr', async () => {
    const q = compileInsightsQuery('filter status = 404', options('/vectors/app'));
    assert.deepEqual(q.columns, ['@timestamp', '@message', '@ptr']);
    const rows = await run('filter level = "ERROR"');
    assert.deepEqual(rows.map((r) => r['@timestamp']), ['2024-01-01 00:03:05.000', '2024-01-01 00:01:10.000']);
    const ptr = decodePtr(rows[0]!['@ptr']!);
    assert.deepEqual(ptr && { g: ptr.logGroup, s: ptr.logStream, t: ptr.ts }, { g: '/vectors/app', s: 'web-2', t: 1704067385000 });
  });

  test('stats results carry no @ptr and name unaliased columns as written', async () => {
    const q = compileInsightsQuery('stats count(*), avg(latency) by bin(5m)', options('/vectors/app'));
    assert.deepEqual(q.columns, ['bin(5m)', 'count(*)', 'avg(latency)']);
    assert.equal(q.events, false);
  });

  test('missing values are left out of a row', async () => {
    const rows = await run('filter @logStream = "web-2" | sort @timestamp asc | fields error');
    assert.deepEqual(rows.map((r) => r.error), ['DataIntegrityException: duplicate key', undefined, 'TimeoutException: upstream', undefined, undefined]);
  });

  test('sealed events and other accounts are never evaluated; scanSql counts the sealed ones', async () => {
    const q = compileInsightsQuery('stats count(*) as n', options('/vectors/app'));
    const [scan] = await engine.query<Record<string, string>>(q.scanSql);
    assert.equal(Number(scan!.recordsScanned), 11);
    assert.equal(Number(scan!.encryptedRecords), 1);
    assert.equal(Number(scan!.bytesScanned) > 0, true);
    assert.deepEqual(await run('stats count(*) as n'), [{ n: '10' }]);
    assert.deepEqual(await run('filter user = "mallory"'), []);
  });

  test('recordsMatched counts the events reaching stats, inside the main query when stats ends it', async () => {
    const q = compileInsightsQuery('filter level = "INFO" | stats count(*) by user | sort user | limit 1', options('/vectors/app'));
    assert.equal(q.matchedSql, undefined);
    const rows = await engine.query<Record<string, string>>(q.sql, q.params);
    assert.equal(rows.length, 1);
    assert.equal(Number(rows[0]!.__matched_total), 4, 'counted over every group, before the limit');
    const separate = compileInsightsQuery('filter level = "INFO" | stats count(*) as n by user | filter n > 1', options('/vectors/app'));
    const [m] = await engine.query<Record<string, string>>(separate.matchedSql!, separate.params);
    assert.equal(Number(m!.recordsMatched), 4);
  });

  test('the time range is inclusive on both ends', async () => {
    const rows = await run('fields @timestamp', '/vectors/app', { startMs: 1704067235000, endMs: 1704067310000 });
    assert.equal(rows.length, 3);
  });

  test('the StartQuery limit and the query limit: the smaller wins', async () => {
    assert.equal((await run('fields @timestamp', '/vectors/app', { limit: 3 })).length, 3);
    assert.equal((await run('fields @timestamp | limit 2', '/vectors/app', { limit: 3 })).length, 2);
    assert.equal((await run('fields @timestamp | limit 5', '/vectors/app', { limit: 3 })).length, 3);
  });

  test('GetLogGroupFields: sample query and flattened field percentages', async () => {
    const s = logGroupFieldsSampleSql({ account: ACCOUNT, region: REGION, logGroup: '/vectors/app', startMs: 0, endMs: NOW });
    const rows = await engine.query<{ message: string }>(s.sql, s.params);
    const fields = summarizeFields(rows.map((r) => r.message));
    const pct = Object.fromEntries(fields.map((f) => [f.name, f.percent]));
    assert.equal(pct['@timestamp'], 100);
    assert.equal(pct.level, 80);
    assert.equal(pct['client.ip'], 20);
    assert.equal(pct['x-request-id'], 10);
  });
});

/** The column `col` of the first row of `query`. */
async function one(query: string, col: string): Promise<string | undefined> {
  const rows = await run(`${query} | limit 1`);
  return rows[0]?.[col];
}

describe('semantics beyond the vectors', () => {
  test('numeric comparison when both sides are numbers, string comparison otherwise', async () => {
    assert.equal((await run('filter latency > 900')).length, 2);
    assert.equal((await run('filter latency > "900"')).length, 2);
    assert.equal((await run('filter path > "/api/p"')).length, 4); // /api/users, /index.html ×2, /health
    assert.equal((await run('filter user != 5')).length, 7);
  });

  test('arithmetic, precedence and functions', async () => {
    assert.equal(await one('fields 2 + 3 * 4 ^ 2 as x', 'x'), '50');
    assert.equal(await one('fields -2 ^ 2 as x', 'x'), '-4');
    assert.equal(await one('fields 10 % 3 as x', 'x'), '1');
    assert.equal(await one('fields 1 / 0 as x', 'x'), undefined);
    assert.equal(await one('fields replace("foo", "o", "0") as x', 'x'), 'f00');
    assert.equal(await one('fields round(2.5) as x, round(-2.5) as y', 'x'), '3');
    assert.equal(await one('fields round(3.14159, 2) as x', 'x'), '3.14');
    assert.equal(await one('fields ceil(1.2) as x', 'x'), '2');
    assert.equal(await one('fields floor(-1.2) as x', 'x'), '-2');
    assert.equal(await one('fields sqrt(16) as x', 'x'), '4');
    assert.equal(await one('fields strcontains("Hello", "hell", true) as x', 'x'), '1');
    assert.equal(await one('fields isValidIp("10.0.0.1") as a', 'a'), '1');
    assert.equal(await one('fields isIpv6InSubnet("2001:db8::1", "2001:db8::/32") as a', 'a'), '1');
    assert.equal(await one('fields isPrivateIP("192.168.1.20") as a', 'a'), '1');
    assert.equal(await one('fields isPublicIP("8.8.8.8") as a', 'a'), '1');
    assert.equal(await one('fields isPublicIP("10.1.2.3") as a', 'a'), '0');
    assert.equal(await one('fields fromMillis(1704067385000) as t', 't'), '2024-01-01 00:03:05.000');
    assert.equal(await one('fields regexReplace("a1b22", "[0-9]+", "#") as x', 'x'), 'a#b#');
    assert.equal(await one('fields concat("a", missingfield, "b") as x', 'x'), 'ab');
    assert.equal(await one('fields if(1 > 2, "y", "n") as x', 'x'), 'n');
    assert.equal(await one('fields case(1 > 2, "a", 2 > 1, "b", "c") as x', 'x'), 'b');
    assert.equal(await one('fields decToHex(255) as x', 'x'), '0xff');
    assert.equal(await one('fields hexToDec("0xff") as x', 'x'), '255');
    assert.equal(await one('fields base64decode(base64encode("hi")) as x', 'x'), 'hi');
    assert.equal(await one('fields jsonParse(@message) as j | filter j.user = "carol" | fields j.client.ip as ip, j.status as s', 's'), '404');
    assert.equal(await one('fields split("a,b", ",") as x', 'x'), '["a","b"]');
    assert.equal(await one('fields dateceil(@timestamp, 1h) as x | sort @timestamp asc', 'x'), '2024-01-01 01:00:00.000');
    assert.equal(await one('fields datefloor(@timestamp, 1mo) as x', 'x'), '2024-01-01 00:00:00.000');
  });

  test('isempty / isblank treat a missing field as empty', async () => {
    const rows = await run('filter user in ["alice", "bob"] | sort @timestamp asc | fields isempty(note) as e, isblank(note) as b');
    assert.deepEqual(rows.map((r) => [r.e, r.b]), [['0', '0'], ['1', '1'], ['1', '1'], ['0', '1'], ['1', '1']]);
  });

  test('bin(300s) is capped to 60 s', async () => {
    const rows = await run('filter user = "dave" | fields bin(300s) as b');
    assert.equal(rows[0]!.b, '2024-01-01 00:03:00.000');
  });

  test('limit before filter applies to the newest events first', async () => {
    const rows = await run('limit 3 | filter @logStream = "web-2" | fields @timestamp');
    assert.deepEqual(rows.map((r) => r['@timestamp']), ['2024-01-01 00:06:30.000', '2024-01-01 00:05:40.000']);
  });

});

describe('stats and discovered fields beyond the vectors', () => {
  test('earliest, latest, sortsFirst, sortsLast, stddev, count_distinct', async () => {
    const [r] = await run('stats earliest(user) as e, latest(user) as l, sortsFirst(path) as f, sortsLast(path) as s, stddev(status) as sd');
    assert.equal(r!.e, 'alice');
    assert.equal(r!.l, 'alice');
    assert.equal(r!.f, '/about.html');
    assert.equal(r!.s, '/index.html');
    // Sample standard deviation of the 8 statuses (population would be 133.14).
    assert.ok(Math.abs(Number(r!.sd) - 142.3366) < 0.001, r!.sd);
  });

  test('the second stats can use bin-like grouping on a timestamp the first one defines', async () => {
    const rows = await run('stats count(*) as n, max(@timestamp) as t by @logStream | stats sum(n) as total by dateceil(t, 1h)');
    assert.deepEqual(rows, [{ 'dateceil(t, 1h)': '2024-01-01 01:00:00.000', total: '10' }]);
  });

  test('backquoted names and JSON keys starting with @', async () => {
    assert.equal(await one('filter ispresent(`x-request-id`) | fields `x-request-id` as r', 'r'), 'req-4');
  });

  test('Lambda REPORT lines yield @type, @requestId, @duration and @maxMemoryUsed', async () => {
    const rows = await run('filter @type = "REPORT" | stats max(@maxMemoryUsed / 1000 / 1000) as mb, avg(@duration) as d, ' +
      'count_distinct(@requestId) as r', '/vectors/lambda');
    assert.deepEqual(rows, [{ mb: '70', d: '51.125', r: '2' }]);
    assert.deepEqual(await run('filter @type = "REPORT" | stats count(*) as n'), []);
  });

  test('JSON embedded in a Lambda text line is discovered in /aws/lambda/ groups only', async () => {
    const rows = await run('filter ispresent(orderId) | fields orderId, amount * 2 as a', '/aws/lambda/fn');
    assert.deepEqual(rows.map(({ orderId, a }) => ({ orderId, a })), [{ orderId: 'o-1', a: '25' }]);
    assert.deepEqual(await run('filter ispresent(orderId) | fields orderId', '/vectors/lambda'), []);
  });
});

describe('AWS documentation queries compile and run', () => {
  for (const q of DOC_QUERIES) {
    test(q.replace(/\s+/g, ' '), async () => {
      await run(q);
    });
  }
});

describe('rejected queries', () => {
  test('a regex RE2 refuses at run time maps to MalformedQueryException', async () => {
    // RE2 has no \i escape; JavaScript reads it as a literal i, so only the engine notices.
    const q = compileInsightsQuery('filter @message like /a\\i/', options('/vectors/app'));
    const err = await engine.query(q.sql, q.params).then(() => undefined, (e: unknown) => e);
    const mapped = queryErrorFromEngine(err);
    assert.equal(mapped?.code, 'MalformedQueryException', String(err));
    assert.equal(queryErrorFromEngine(new Error('boom')), undefined);
  });

  const rejects = (query: string, message: RegExp): void => {
    assert.throws(() => compileInsightsQuery(query, options('/vectors/app')), (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assert.equal(e.code, 'MalformedQueryException');
      assert.match(e.message, message);
      return true;
    });
  };

  test('unsupported commands and functions are named, never ignored', () => {
    rejects('fields @message | pattern @message', /pattern command is not supported/);
    rejects('fields @message | unmask @message', /unmask command is not supported/);
    rejects('fields @message | diff', /diff command is not supported/);
    rejects('fields formatDate(@timestamp, "%Y") as d', /formatDate is not supported/);
    rejects('fields nosuchfn(x)', /unknown function nosuchfn/);
    rejects('parse @message "a=*" as a multi', /unexpected symbol/);
    rejects('parse @message /(?<a>x)/ multi', /multi is not supported/);
  });

  test('structure rules', () => {
    rejects('stats count(*) | stats count(*) as b | stats count(*) as c', /at most two stats/);
    rejects('fields a | dedup a | sort a', /cannot follow dedup/);
    rejects('stats count(*) as n by user | limit 2 | stats sum(n)', /after the second stats/);
    rejects('fields strlen(@message) as l | stats sum(l) by @logStream | stats avg(l)', /field l is not available/);
    rejects('stats count(*) by @logStream | stats count(*) by bin(5m)', /bin\(\) uses @timestamp/);
    rejects('stats latency', /not an aggregation/);
    rejects('stats sum(latency) + latency', /must be inside an aggregation/);
    rejects('filter count(*) > 1', /can only be used in stats/);
    rejects('stats sum(count(*))', /cannot be nested/);
    rejects('limit 0', /limit must be between 1 and 10000/);
    rejects('limit 10001', /limit must be between 1 and 10000/);
    rejects('parse @message "a=* b=*" as a', /2 wildcard\(s\) but 1 field/);
    rejects('filter isIpInSubnet(ip, "10.0.0.0")', /not an IPv4 or IPv6 subnet/);
    rejects('filter x like /(?=a)/', /lookahead/);
    rejects('fields 5m as p', /only valid in bin/);
    rejects('filter @message like /x', /unterminated regular expression/);
  });
});

describe('parse with a glob', () => {
  test('position/substring extraction agrees with the glob\'s regex on random messages', async () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = ['a', 'b', ' ', '/', '=', 'x', 'ü', '\n', '-'];
    const messages = Array.from({ length: 300 }, () => Array.from({ length: Math.floor(rnd() * 14) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(''));
    const rows = messages.map((m, i) => JSON.stringify({ account: ACCOUNT, region: REGION, log_group: '/glob', log_stream: 's', ts: 1704067200000 + i, ingest_ts: 0, seq: 100000 + i, message: m, key_id: '' }));
    await engine.insert('log_events', ['account', 'region', 'log_group', 'log_stream', 'ts', 'ingest_ts', 'seq', 'message', 'key_id'], Buffer.from(rows.join('\n')), 'JSONEachRow');
    for (const glob of ['a*b', '*=*', 'x*', '* *', 'a*/*b', '/*', 'ü*-', 'a**b']) {
      const stars = glob.split('*').length - 1;
      const names = Array.from({ length: stars }, (_, i) => `g${i}`);
      const query = `parse @message "${glob}" as ${names.join(', ')} | fields @message, ${names.join(', ')} | sort @timestamp asc | limit 1000`;
      const got = await run(query, '/glob').catch((e) => {
        throw new Error(`${query}: ${(e as Error).message}`);
      });
      const re = new RegExp(globToRegex(glob).replace('(?s)', ''), 's');
      for (const r of got) {
        const m = re.exec(r['@message']!);
        const want = names.map((n, i) => (m ? m[i + 1] : undefined));
        assert.deepEqual(names.map((n) => r[n]), want, `glob ${JSON.stringify(glob)} on ${JSON.stringify(r['@message'])}`);
      }
      assert.equal(got.length, messages.length);
    }
  });
});
