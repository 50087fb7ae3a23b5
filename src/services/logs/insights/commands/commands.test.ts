// How commands shape the SQL: subqueries only where the order of operations needs one, and the
// raw-message prefilters of `filter`. Results are checked in insights.test.ts (in ClickHouse).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileInsightsQuery } from '../index.ts';

const OPTS = { account: '123456789012', region: 'us-east-1', logGroups: ['/app'], startMs: 0, endMs: 1_704_067_200_000, nowMs: 1_704_067_200_000 };
const sqlOf = (query: string): string => compileInsightsQuery(query, OPTS).sql;
const selects = (sql: string): number => sql.match(/SELECT /g)?.length ?? 0;

test('filter | stats by bin() is one SELECT over the table', () => {
  const sql = sqlOf('filter @message like "x" | stats count(*) by bin(5m)');
  assert.equal(selects(sql), 2, 'the stats subquery and the outer SELECT of the output columns');
  assert.match(sql, /FROM log_events WHERE .* GROUP BY/);
});

test('fields, parse and filter add to one stage; a limit before a filter makes a subquery', () => {
  assert.equal(selects(sqlOf('fields a | parse @message "x=*" as x | filter x = "1" | sort a | limit 5')), 1);
  const limited = sqlOf('limit 3 | filter a = "1"');
  assert.equal(selects(limited), 2);
  assert.match(limited, /ORDER BY ts DESC, seq DESC LIMIT 3\)/, 'the newest 3 events, then the filter');
});

test('dedup keeps the first row per key in the current order, and rows with a missing key', () => {
  const sql = sqlOf('sort a asc | dedup b');
  assert.match(sql, /row_number\(\) OVER \(PARTITION BY .* ORDER BY .*\) AS __rn/);
  assert.match(sql, /\(__rn = 1 OR __dn\)/);
});

test('filter on a discovered JSON field checks the raw message first; other fields do not', () => {
  const q = compileInsightsQuery('filter level = "ERROR"', OPTS);
  assert.match(q.sql, /position\(message, '\\\\'\) > 0 OR position\(message, \{p\d+:String\}\) > 0/);
  assert.ok(Object.values(q.params).includes('ERROR'));
  assert.doesNotMatch(sqlOf('filter @logStream = "web"'), /position\(message/);
  assert.doesNotMatch(sqlOf('fields "x" as level | filter level = "ERROR"'), /position\(message/);
  assert.doesNotMatch(sqlOf('filter level = "ERROR" or level = "WARN"'), /position\(message/, 'only top-level AND terms');
});

test('sort keeps the previous order as tie-breaker and puts missing values last', () => {
  const sql = sqlOf('sort status desc');
  assert.match(sql, /ORDER BY isNull\(.*\) ASC, .* DESC, ts DESC, seq DESC LIMIT/);
});

test('a parse glob extracts with position()/substring(), a regex with one extractGroups()', () => {
  const glob = sqlOf('parse @message "a=* b=*" as a, b | display a, b');
  assert.match(glob, /substring\(message, /);
  assert.doesNotMatch(glob, /extractGroups|match\(/);
  const re = sqlOf('parse @message /a=(?<a>\\S+) b=(?<b>\\S+)/ | display a, b');
  assert.match(re, /extractGroups\(message, \{p\d+:String\}\)\[1\]/);
});
