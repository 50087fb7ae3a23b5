// Runs the generated SQL in embedded ClickHouse (chDB). One chDB data directory per process (each
// test file is its own process): all tests here share it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ChdbEngine } from '../../../store/telemetry/engine.ts';
import { MESSAGE_INDEX } from '../../../store/telemetry/log-events-search-index.ts';
import { parseFilterPattern } from './parse.ts';
import { compileFilterPattern } from './match.ts';
import { toClickHouse } from './sql.ts';

interface VectorCase {
  id: string;
  pattern: string;
  message?: string;
  matches: boolean | null;
  expect_error?: unknown;
  minutes?: { messages: string[] }[];
}

const vectors = JSON.parse(readFileSync(new URL('../../../../../shared/vectors/filter-patterns.json', import.meta.url), 'utf8')) as {
  cases: VectorCase[];
};

/** Messages that stress the places where JS and ClickHouse could disagree. */
const TRICKY = [
  '', ' ', 'plain ERROR text', 'error lower', 'ERRORS plural', 'a\nb', 'a\r\nb', 'tab\there', 'ünïcødé ✓ 😀', 'a😀b', 'aéb',
  'line with \\ backslash', 'quote " inside', '%percent%', 'x'.repeat(300),
  '{"eventType":"UpdateTrail","sourceIPAddress":"111.111.111.111"}',
  '  {"eventType":"UpdateTrail"}', '\n{"latency": 50}', '{"latency": "50"}', '{"latency": 50.0}', '{"latency": 5e1}',
  '{"eventType":"Update\\u0054rail"}', '{"event\\u0054ype":"UpdateTrail"}', '{"eventType":"A","eventType":"UpdateTrail"}',
  '{"eventType":"UpdateTrail","eventType":"B"}', '{"eventType":"UpdateTrail"} trailing', '{"eventType":"UpdateTrail"',
  '{"eventType":null}', '{"eventType":true}', '{"eventType":["UpdateTrail"]}', '{"eventType":{"x":1}}', '[{"eventType":"UpdateTrail"}]',
  '{"n":1e400}', '{"n":9007199254740993}', '{"n":-0}', '{"n":"-0"}', '{"bandwidth":"80"}', '{"errorCode":"400"}',
  '{"enabled":"true"}', '{"enabled":false}', '{"SomeObject":"null"}', '{"a":{"b":{"c":"d"}}}', '{"arrayKey":["value"],"arrayKey2":1}',
  '{"user":{"id":"1"},"users":[]}', '{"user":{"id":1.0}}', '{"actions":["GET","PUT","DELETE"],"user":{"id":2}}',
  '127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534',
  '127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404.0 1534',
  'ERROR 09/25/2014 12:00:02 Failed to process request', 'WARNING x',
  '{"cluster.name":"c"}', '{"cluster":{"name":"c"}}', '{"cluster.name":"c","cluster.name":"d"}', '{"cluster\\u002ename":"c"}',
  '{"k8s":{"pod.name":"web"}}', '{"ip":"111.111.111.150","x":1}', '{"a":{"ip":"111.111.111.150"}}', 'f(x) at 12:00', '50% off!',
];

const dir = mkdtempSync(join(tmpdir(), 'osprey-filter-pattern-'));
let engine: ChdbEngine;
let messages: string[] = [];

before(async () => {
  engine = await ChdbEngine.open({ path: dir });
  const set = new Set<string>(TRICKY);
  for (const c of vectors.cases) {
    if (c.message !== undefined) set.add(c.message);
    for (const m of c.minutes ?? []) for (const x of m.messages) set.add(x);
  }
  messages = [...set];
  // With log_events' message index over 4-row granules: every pattern below also checks that the
  // index's pruning never drops a row JS accepts.
  await engine.exec(`CREATE TABLE fp_messages (id UInt32, message String, INDEX ${MESSAGE_INDEX}) ENGINE = MergeTree ORDER BY id SETTINGS index_granularity = 4`);
  await insert('fp_messages', messages);
});

after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

async function insert(table: string, rows: string[]): Promise<void> {
  const payload = Buffer.from(rows.map((message, id) => JSON.stringify({ id, message })).join('\n'));
  await engine.insert(table, ['id', 'message'], payload, 'JSONEachRow');
}

/** Ids (indexes into `rows`) the SQL accepts. */
async function sqlIds(table: string, pattern: string): Promise<{ ids: Set<number>; exact: boolean } | undefined> {
  const f = toClickHouse(parseFilterPattern(pattern));
  if (f === undefined) return undefined;
  const rows = await engine.query<{ id: number }>(`SELECT id FROM ${table} WHERE ${f.sql} ORDER BY id`, f.params);
  return { ids: new Set(rows.map((r) => r.id)), exact: f.exact };
}

/** Asserts the SQL contract over `rows`; returns the ids SQL + JS accept. */
async function checkContract(table: string, rows: string[], pattern: string): Promise<Set<number>> {
  const js = compileFilterPattern(parseFilterPattern(pattern));
  const jsIds = new Set(rows.flatMap((m, i) => (js.matches(m) ? [i] : [])));
  const sql = await sqlIds(table, pattern);
  if (sql === undefined) return jsIds;
  for (const id of jsIds) {
    assert.ok(sql.ids.has(id), `SQL drops a row JS accepts: pattern ${JSON.stringify(pattern)}, message ${JSON.stringify(rows[id])}`);
  }
  if (sql.exact) {
    for (const id of sql.ids) {
      assert.ok(jsIds.has(id), `exact SQL accepts a row JS rejects: pattern ${JSON.stringify(pattern)}, message ${JSON.stringify(rows[id])}`);
    }
  }
  return new Set([...sql.ids].filter((id) => jsIds.has(id)));
}

describe('SQL over the shared vectors', () => {
  for (const c of vectors.cases) {
    if (c.expect_error || c.message === undefined) continue;
    test(`${c.id}: ${c.pattern}`, async () => {
      const accepted = await checkContract('fp_messages', messages, c.pattern);
      assert.equal(accepted.has(messages.indexOf(c.message!)), c.matches);
    });
  }
});

describe('SQL shape', () => {
  test('terms and regexes are exact; JSON and space-delimited are pre-filters', () => {
    assert.equal(toClickHouse(parseFilterPattern('ERROR -DEBUG'))?.exact, true);
    assert.equal(toClickHouse(parseFilterPattern('%a+b%'))?.exact, true);
    assert.deepEqual(toClickHouse(parseFilterPattern('" "')), { sql: '1', params: {}, exact: true });
    assert.equal(toClickHouse(parseFilterPattern('{ $.a = 1 }'))?.exact, false);
    assert.equal(toClickHouse(parseFilterPattern('[a, b = x*]'))?.exact, false);
    assert.equal(toClickHouse(parseFilterPattern('[a, b > 5]')), undefined);
  });

  test('values are bound as fp-prefixed parameters, never spliced', () => {
    const f = toClickHouse(parseFilterPattern(`"it's" -"a\\"b"`), 'message')!;
    assert.deepEqual(f, {
      sql: '((message LIKE {fp1:String} AND position(message, {fp0:String}) > 0) AND NOT (position(message, {fp2:String}) > 0))',
      params: { fp0: "it's", fp1: "%it's%", fp2: 'a"b' },
      exact: true,
      // Required terms, for the per-block search index; excluded ones cannot rule a block out.
      needles: ["it's"],
    });
    assert.throws(() => toClickHouse(parseFilterPattern('x'), 'message; DROP TABLE t'));
  });

  test('terms reach the message index as LIKE with %, _ and \\ escaped; position() stays the exact test', async () => {
    const f = toClickHouse(parseFilterPattern('"50% off" "a_b\\\\c" ?x'))!;
    assert.deepEqual(f.params, { fp0: '50% off', fp1: '%50\\% off%', fp2: 'a_b\\c', fp3: '%a\\_b\\\\c%' });
    assert.match(f.sql, /^\(\(message LIKE \{fp1:String\} AND position\(message, \{fp0:String\}\) > 0\) AND /);
    // Hostile terms are parameters, whatever they hold.
    const hostile = toClickHouse(parseFilterPattern(`"'); DROP TABLE t; --" "{fp0:String}"`))!;
    assert.doesNotMatch(hostile.sql, /DROP|'/);
    assert.equal(hostile.params.fp0, "'); DROP TABLE t; --");
    // Short terms (no 4-gram) and excluded terms stay plain position().
    assert.equal(toClickHouse(parseFilterPattern('abc -defgh'))!.sql, '(position(message, {fp0:String}) > 0 AND NOT (position(message, {fp1:String}) > 0))');
    // Through the indexed table: the LIKE escapes hold (no wildcard matches).
    for (const p of ['"50% off"', '"%percent%"', '"a_b"', '"with \\\\ backslash"', '"ERROR text"', '?"50% off" ?"%percent%"', '[w, x = "50% off*"]']) {
      await checkContract('fp_messages', messages, p);
    }
    assert.deepEqual([...(await sqlIds('fp_messages', '"50% off"'))!.ids].map((i) => messages[i]), ['50% off!']);
    assert.deepEqual([...(await sqlIds('fp_messages', '"0_ o"'))!.ids], []);
  });

  test('extra patterns over the tricky messages', async () => {
    for (const p of [
      '{ $.eventType = "UpdateTrail" }', '{ $.eventType != "UpdateTrail" }', '{ $.eventType = Update* }', '{ $.eventType = * }',
      '{ $.eventType IS NULL }', '{ $.eventType IS TRUE }', '{ $.eventType NOT EXISTS }', '{ $.eventType = %Trail$% }',
      '{ $.latency = 50 }', '{ $.latency != 50 }', '{ $.latency >= 50 }', '{ $.latency = 5* }', '{ $.n = 0 }', '{ $.n > 1e300 }',
      '{ $.enabled IS FALSE }', '{ $.enabled = true }', '{ $.SomeObject = null }', '{ $.a.b.c = d }', '{ $.a.b NOT EXISTS }',
      '{ $.arrayKey[0] = value }', '{ $.arrayKey[*] = value }', '{ $.user.id = 1 || $.actions[1] = PUT }',
      '{ ($.user.id = 2 || $.users[0].id NOT EXISTS) && $.user.id != 3 }', '{ $.bandwidth > 75 }', '{ $.errorCode = 400 }',
      'ERROR', 'ERROR -ERRORS', '?error ?ERRORS', '"a\\\\ b"', '"😀"', '%a.b%', '%^a.b$%', '%\\s%', '%\\S\\s\\S%', '%[^a-z]%',
      '%\\W%', '%^$%', '%b$%', '%^\\d+%', '[a, ...]', '[..., code = 404, bytes]', '[..., code != 404, bytes]',
      '[w = %^W%, ...]', '[w = ERR* || w = WARN*, ...]', '[a, b, c, d, e = *.html*, f = 4*, g]',
      // $.* wildcards, bracket notation and \\xhh escapes.
      '{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }', '{ $.* = "UpdateTrail" }', '{ $.* IS NULL }', '{ $.* NOT EXISTS }', '{ $.*.name = c }',
      "{ $.['cluster.name'] = \"c\" }", "{ $.['cluster.name'] != c }", "{ $.['cluster.name'] NOT EXISTS }", "{ $.k8s['pod.name'] = web }",
      "{ $['cluster.name'] = c* && $.* = * }", '%\\x3A%', '%\\x28%', '%\\x25 off\\x21%', '%^[\\x41-\\x5A]+ %', '{ $.t = %\\x3A% }', '[w = %\\x28%, ...]',
    ]) {
      await checkContract('fp_messages', messages, p);
    }
  });
});

describe('SQL for $.*, bracket notation and \\xhh', () => {
  const accepted = async (pattern: string): Promise<string[]> =>
    [...await checkContract('fp_messages', messages, pattern)].map((i) => messages[i]!);

  test('the rows found through the store are the ones each feature selects', async () => {
    const bracket = await accepted("{ $.['cluster.name'] = \"c\" }");
    assert.ok(bracket.includes('{"cluster.name":"c"}'));
    assert.ok(bracket.includes('{"cluster\\u002ename":"c"}'), 'an escaped key is the same key');
    assert.ok(!bracket.includes('{"cluster":{"name":"c"}}'));
    assert.ok(!bracket.includes('{"cluster.name":"c","cluster.name":"d"}'), 'the last duplicate wins, as in JSON.parse');
    const wildcard = await accepted('{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }');
    assert.ok(wildcard.includes('{"ip":"111.111.111.150","x":1}'));
    assert.ok(!wildcard.includes('{"a":{"ip":"111.111.111.150"}}'), 'one level only');
    const hex = await accepted('%\\x28%');
    assert.ok(hex.includes('f(x) at 12:00'));
    assert.ok(!hex.includes('ERROR 09/25/2014 12:00:02 Failed to process request'));
    assert.deepEqual(await accepted('%\\x25 off\\x21%'), ['50% off!']);
  });
});

describe('regex translation: RE2 (ClickHouse) and JS agree', () => {
  test('random regexes over random strings', async () => {
    const alphabet = ['a', 'b', 'c', '1', ' ', '-', ':', '\n', 'é', '😀', '.', '[', ']', '_', '\t', '\u00a0'];
    const subjects = fc.sample(fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((a) => a.join('')), { numRuns: 400, seed: 42 });
    await engine.exec('CREATE TABLE fp_subjects (id UInt32, message String) ENGINE = MergeTree ORDER BY id');
    await insert('fp_subjects', subjects);

    const atom = fc.constantFrom('a', 'b', '1', ' ', '-', ':', '.', '\\d', '\\D', '\\s', '\\S', '\\w', '\\W', '\\.', '\\[',
      '[ab]', '[^a]', '[a-c1]', '[\\d_]', '[.]', '[\\s]', '\\x3A', '\\x2e', '\\x0A', '\\x5B', '[\\x61-\\x63]', '[^\\x20]');
    const quant = fc.constantFrom('', '', '', '?', '*', '+', '{2}', '{1,2}', '{,2}', '{2,}', '*?');
    const piece = fc.tuple(atom, quant).map(([a, q]) => a + q);
    const branch = fc.tuple(fc.boolean(), fc.array(piece, { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([s, ps, e]) => (s ? '^' : '') + ps.join('') + (e ? '$' : ''));
    const regexes = fc.sample(fc.array(branch, { minLength: 1, maxLength: 2 }).map((bs) => `%${bs.join('|')}%`), { numRuns: 150, seed: 7 });
    for (const r of regexes) await checkContract('fp_subjects', subjects, r);
  });
});
