/**
 * translate() without an engine: which constructs compile (and the shape of what they compile to),
 * and which statements are refused with which Athena error. Runs in well under a second.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AthenaSqlError, ospreyCatalog, translate, withSettings, type Catalog } from './index.ts';

const catalog: Catalog = ospreyCatalog({ account: '111111111111', region: 'us-east-1' });
const sql = (q: string) => translate(q, catalog).sql;

/** [statement, Athena column names]: each must compile. */
const COMPILES: Array<[string, string[]]> = [
  ['SELECT log_group, count(*) FROM osprey.logs WHERE timestamp > now() - interval \'1\' hour GROUP BY 1 ORDER BY 2 DESC', ['log_group', '_col1']],
  ['SELECT * FROM awsdatacatalog.osprey.logs LIMIT 5 OFFSET 2', ['log_group', 'log_stream', 'timestamp', 'ingestion_time', 'message']],
  ['SELECT l.message AS m FROM "osprey"."logs" AS l', ['m']],
  ['SELECT DISTINCT log_stream FROM logs WHERE log_group IN (\'a\', \'b\') AND message LIKE \'%x%\' AND log_stream IS NOT NULL', ['log_stream']],
  ['SELECT count(DISTINCT log_stream), approx_distinct(message), arbitrary(message), count_if(message LIKE \'a%\') FROM logs', ['_col0', '_col1', '_col2', '_col3']],
  ['SELECT max_by(message, logs.timestamp), min_by(message, logs.timestamp), array_agg(log_stream), bool_and(true), bool_or(false), stddev(sum), var_samp(sum) FROM logs, metrics', ['_col0', '_col1', '_col2', '_col3', '_col4', '_col5', '_col6']],
  ['SELECT approx_percentile(length(message), 0.99) AS p99 FROM logs', ['p99']],
  ["SELECT count(*) FILTER (WHERE message LIKE '%error%') AS errors, sum(length(message)) FILTER (WHERE log_group = 'a') FROM logs", ['errors', '_col1']],
  ['SELECT date_trunc(\'hour\', timestamp) AS h, count(*) AS n FROM logs GROUP BY 1 HAVING count(*) > 1 ORDER BY h NULLS FIRST', ['h', 'n']],
  ['SELECT date_add(\'day\', -1, timestamp), date_diff(\'second\', ingestion_time, timestamp), to_unixtime(timestamp), from_unixtime(1700000000) FROM logs', ['_col0', '_col1', '_col2', '_col3']],
  ['SELECT from_iso8601_timestamp(eventtime), date_format(from_iso8601_timestamp(eventtime), \'%Y-%m-%d %H:%i:%s\'), date_parse(\'2024-01-02\', \'%Y-%m-%d\'), current_date, current_timestamp FROM cloudtrail', ['_col0', '_col1', '_col2', '_col3', '_col4']],
  ['SELECT year(timestamp), month(timestamp), day(timestamp), hour(timestamp), minute(timestamp), second(timestamp), day_of_week(timestamp), extract(hour FROM timestamp) FROM logs', ['_col0', '_col1', '_col2', '_col3', '_col4', '_col5', '_col6', '_col7']],
  ['SELECT regexp_extract(message, \'id=(\\d+)\', 1), regexp_like(message, \'^x\'), regexp_replace(message, \'(a)(b)\', \'$2$1\'), split(message, \' \'), split_part(message, \' \', 2), strpos(message, \'x\') FROM logs', ['_col0', '_col1', '_col2', '_col3', '_col4', '_col5']],
  ['SELECT length(message), lower(message), upper(message), trim(message), ltrim(message), rtrim(message), substr(message, 2, 3), concat(log_group, \'/\', log_stream), log_group || \'-\', replace(message, \'a\'), lpad(message, 5, \'0\'), rpad(message, 5, \' \'), starts_with(message, \'a\'), reverse(message) FROM logs', ['_col0', '_col1', '_col2', '_col3', '_col4', '_col5', '_col6', '_col7', '_col8', '_col9', '_col10', '_col11', '_col12', '_col13']],
  ['SELECT json_extract(message, \'$.a\'), json_extract_scalar(message, \'$.a.b[0]\'), json_extract_scalar(message, \'$["x y"]\'), json_parse(message), json_array_length(message), json_format(json_parse(message)) FROM logs', ['_col0', '_col1', '_col2', '_col3', '_col4', '_col5']],
  ['SELECT url_extract_host(message), url_extract_path(message), url_extract_query(message), url_extract_parameter(message, \'q\'), url_extract_protocol(message), url_extract_port(message) FROM logs', ['_col0', '_col1', '_col2', '_col3', '_col4', '_col5']],
  ['SELECT element_at(dimensions, \'k\'), dimensions[\'k\'], cardinality(dimensions), map_keys(dimensions), map_values(dimensions) FROM metrics', ['_col0', '_col1', '_col2', '_col3', '_col4']],
  ['SELECT element_at(split(message, \',\'), 1), split(message, \',\')[2], contains(split(message, \',\'), \'a\'), array_join(split(message, \',\'), \';\'), array_distinct(split(message, \',\')), array_max(split(message, \',\')), array_min(split(message, \',\')) FROM logs', ['_col0', '_col1', '_col2', '_col3', '_col4', '_col5', '_col6']],
  ['SELECT coalesce(unit, \'x\'), nullif(unit, \'\'), if(unit = \'a\', 1, 2), greatest(1, 2), least(1, 2), abs(-1), round(2.5), round(sum, 1), ceil(sum), floor(sum), ln(sum), log10(sum), pow(sum, 2), sqrt(sum), mod(7, 3), 7 / 2, 7.0 / 2, 7 % 2 FROM metrics', Array.from({ length: 18 }, (_v, i) => `_col${i}`)],
  ['SELECT CAST(sum AS varchar), CAST(sum AS bigint), CAST(\'1\' AS integer), CAST(sum AS double), CAST(sum AS real), CAST(\'true\' AS boolean), CAST(\'2024-01-01 00:00:00\' AS timestamp), CAST(\'2024-01-01\' AS date), CAST(sum AS decimal(10,2)), TRY_CAST(unit AS bigint) FROM metrics', Array.from({ length: 10 }, (_v, i) => `_col${i}`)],
  ['SELECT CASE WHEN sum > 1 THEN \'big\' WHEN sum IS NULL THEN NULL ELSE \'small\' END AS size, CASE unit WHEN \'Count\' THEN 1 END FROM metrics', ['size', '_col1']],
  ['SELECT date \'2024-01-01\', timestamp \'2024-01-01 00:00:00\', true, NULL, 1.5e3 FROM logs', ['_col0', '_col1', '_col2', '_col3', '_col4']],
  ['SELECT log_group FROM logs WHERE timestamp BETWEEN timestamp \'2024-01-01 00:00:00\' AND now() AND NOT (message IS NULL) AND log_group NOT IN (\'x\')', ['log_group']],
  ['WITH g AS (SELECT log_group, count(*) AS n FROM logs GROUP BY log_group), m AS (SELECT dimensions[\'LogGroupName\'] AS lg, sum(sum) AS s FROM metrics GROUP BY 1) SELECT g.log_group, g.n, m.s FROM g LEFT JOIN m ON g.log_group = m.lg', ['log_group', 'n', 's']],
  ['SELECT a.log_group FROM logs a JOIN logs b USING (log_stream) RIGHT JOIN metrics c ON c.namespace = a.log_group FULL OUTER JOIN cloudtrail d ON d.eventname = a.log_group', ['log_group']],
  ['SELECT word, count(*) FROM logs CROSS JOIN UNNEST(split(message, \' \')) AS t(word) GROUP BY word', ['word', '_col1']],
  ['SELECT w FROM logs LEFT JOIN UNNEST(split(message, \' \')) AS t(w) ON true', ['w']],
  ['SELECT x FROM (SELECT log_group AS x FROM logs) s WHERE x IN (SELECT namespace FROM metrics) AND EXISTS (SELECT 1 FROM metrics) AND NOT EXISTS (SELECT 1 FROM cloudtrail)', ['x']],
  ['SELECT log_group, (SELECT count(*) FROM metrics) AS total FROM logs WHERE length(message) = (SELECT max(length(message)) FROM logs)', ['log_group', 'total']],
  ['SELECT coalesce((SELECT max(sum) FROM metrics), 0), greatest(1, (SELECT count(*) FROM logs)) FROM logs a, (SELECT 1 AS one) b', ['_col0', '_col1']],
  ['SELECT log_group FROM logs UNION SELECT namespace FROM metrics UNION ALL SELECT eventname FROM cloudtrail ORDER BY 1 LIMIT 10', ['log_group']],
  ['SELECT row_number() OVER (PARTITION BY log_group ORDER BY timestamp DESC) AS rn, rank() OVER (ORDER BY timestamp), dense_rank() OVER (ORDER BY timestamp), lag(message, 1) OVER (ORDER BY timestamp), lead(message) OVER (PARTITION BY log_group ORDER BY timestamp), first_value(message) OVER (ORDER BY timestamp), last_value(message) OVER (ORDER BY timestamp ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), sum(length(message)) OVER (PARTITION BY log_group), count(*) OVER (ORDER BY timestamp ROWS 2 PRECEDING) FROM logs', ['rn', '_col1', '_col2', '_col3', '_col4', '_col5', '_col6', '_col7', '_col8']],
  ['SELECT useridentity.arn, useridentity, json_extract_scalar(requestparameters, \'$.logGroupName\') FROM cloudtrail WHERE readonly = \'false\'', ['arn', 'useridentity', '_col2']],
  ['SELECT message AS a, message AS a FROM logs', ['a', 'a']],
  ['SELECT useridentity.sessioncontext.sessionissuer.username, c.useridentity.arn, c.eventname FROM cloudtrail c', ['username', 'arn', 'eventname']],
  ['select LOG_GROUP, Count(*) from OSPREY.LOGS group by LOG_GROUP', ['LOG_GROUP', '_col1']],
];

for (const [q, columns] of COMPILES) {
  test(`compiles: ${q.slice(0, 110)}`, () => {
    const t = translate(q, catalog);
    assert.deepEqual(t.columns, columns);
    assert.equal(t.statementType, 'DML');
    assert.equal(t.columnTypes.length, columns.length);
    // Output columns are aliased c0…cN in order.
    for (let i = 0; i < columns.length; i++) assert.match(t.sql, new RegExp(`AS c${i}\\b`));
  });
}

/** [statement, error type, message]: each must be refused. */
const REFUSED: Array<[string, string, RegExp]> = [
  ['SELECT * FROM system.tables', 'PERMISSION_DENIED', /system\.tables is not queryable/],
  ['SELECT * FROM file(\'/etc/passwd\')', 'PERMISSION_DENIED', /Table function 'file' is not allowed/],
  ['SELECT * FROM url(\'http://169.254.169.254/\', CSV)', 'PERMISSION_DENIED', /Table function 'url'/],
  ['SELECT * FROM numbers(10)', 'PERMISSION_DENIED', /Table function 'numbers'/],
  ['SELECT * FROM remote(\'h\', default.log_events)', 'PERMISSION_DENIED', /Table function 'remote'/],
  ['SELECT * FROM s3(\'s3://b/k\')', 'PERMISSION_DENIED', /Table function 's3'/],
  ['SELECT * FROM log_events', 'TABLE_NOT_FOUND', /^line 1:15: Table 'awsdatacatalog\.osprey\.log_events' does not exist$/],
  ['SELECT * FROM default.log_events', 'TABLE_NOT_FOUND', /awsdatacatalog\.default\.log_events/],
  ['SELECT * FROM osprey.nope', 'TABLE_NOT_FOUND', /^line 1:15: Table 'awsdatacatalog\.osprey\.nope' does not exist$/],
  ['SELECT * FROM othercatalog.osprey.logs', 'TABLE_NOT_FOUND', /othercatalog\.osprey\.logs/],
  ['SELECT foo FROM logs', 'COLUMN_NOT_FOUND', /^line 1:8: Column 'foo' cannot be resolved$/],
  ['SELECT account FROM logs', 'COLUMN_NOT_FOUND', /Column 'account' cannot be resolved/],
  ['SELECT message FROM logs WHERE key_id != \'\'', 'COLUMN_NOT_FOUND', /key_id/],
  ['SELECT log_group FROM logs WHERE length(message) = (SELECT max(length(nope)) FROM logs)', 'COLUMN_NOT_FOUND', /^line 1:71: Column 'nope' cannot be resolved$/],
  ['SELECT r0.message FROM logs', 'COLUMN_NOT_FOUND', /r0\.message/],
  ['SELECT message.x FROM logs', 'COLUMN_NOT_FOUND', /Column 'message\.x' cannot be resolved/],
  ['SELECT a.b.c.d FROM logs', 'COLUMN_NOT_FOUND', /Column 'a\.b\.c\.d' cannot be resolved/],
  ['SELECT "message`) FROM system.tables --" FROM logs', 'COLUMN_NOT_FOUND', /cannot be resolved/],
  ['SELECT file(\'/etc/passwd\') FROM logs', 'FUNCTION_NOT_FOUND', /^line 1:8: Function 'file' not registered$/],
  ['SELECT executable(\'x\') FROM logs', 'FUNCTION_NOT_FOUND', /Function 'executable' not registered/],
  ['SELECT remote(\'x\') FROM logs', 'FUNCTION_NOT_FOUND', /Function 'remote' not registered/],
  ['SELECT nope(1)', 'FUNCTION_NOT_FOUND', /Function 'nope' not registered/],
  ['SELECT toString(message) FROM logs', 'FUNCTION_NOT_FOUND', /Function 'tostring' not registered/],
  ['SELECT foo(1) OVER () FROM logs', 'FUNCTION_NOT_FOUND', /Function 'foo' not registered/],
  ['SELECT log_group FROM logs; DROP TABLE log_events', 'SYNTAX_ERROR', /Only one sql statement is allowed/],
  ['SELECT log_group FROM logs SETTINGS readonly = 0', 'SYNTAX_ERROR', /mismatched input/],
  ['INSERT INTO logs VALUES (1)', 'NOT_SUPPORTED', /INSERT is not supported/],
  ['DELETE FROM logs', 'NOT_SUPPORTED', /DELETE is not supported/],
  ['UPDATE logs SET message = \'x\'', 'NOT_SUPPORTED', /UPDATE is not supported/],
  ['CREATE TABLE t AS SELECT 1', 'NOT_SUPPORTED', /^CREATE TABLE is not supported; /],
  ['/* hi */ DROP TABLE osprey.logs', 'NOT_SUPPORTED', /DROP TABLE is not supported/],
  ['ALTER TABLE logs ADD COLUMN x int', 'NOT_SUPPORTED', /ALTER TABLE is not supported/],
  ['GRANT SELECT ON logs TO x', 'NOT_SUPPORTED', /GRANT statements are not supported/],
  ['SET max_threads = 1', 'NOT_SUPPORTED', /SET statements/],
  ['USE system', 'NOT_SUPPORTED', /USE statements/],
  ['SELEC 1', 'SYNTAX_ERROR', /^line 1:1: mismatched input 'SELEC'\. Expecting: /],
  ['SELECT log_group FROM logs WHERE', 'SYNTAX_ERROR', /^line 1:33: mismatched input '<EOF>'/],
  ['', 'SYNTAX_ERROR', /mismatched input '<EOF>'/],
  ['SELECT count(*) FROM logs WHERE count(*) > 1', 'SYNTAX_ERROR', /WHERE clause cannot contain aggregations/],
  ['SELECT sum(count(*)) FROM logs', 'SYNTAX_ERROR', /Cannot nest aggregations/],
  ['SELECT log_group FROM logs ORDER BY 3', 'SYNTAX_ERROR', /Invalid ordinal 3/],
  ['SELECT message FROM logs a JOIN logs b ON a.log_group = b.log_group', 'SYNTAX_ERROR', /Column 'message' is ambiguous/],
  ['SELECT log_group FROM logs WHERE log_group = (SELECT namespace, metric_name FROM metrics)', 'SYNTAX_ERROR', /Multiple columns/],
  ['SELECT log_group FROM logs l WHERE EXISTS (SELECT 1 FROM metrics m WHERE m.namespace = l.log_group)', 'NOT_SUPPORTED', /Correlated subquery/],
  ['WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT n FROM t', 'NOT_SUPPORTED', /./],
  ['SELECT log_group FROM logs GROUP BY ROLLUP (log_group)', 'NOT_SUPPORTED', /ROLLUP/],
  ['SELECT json_extract_scalar(message, \'$..a\') FROM logs', 'NOT_SUPPORTED', /JSON path/],
  ['SELECT json_extract_scalar(message, message) FROM logs', 'NOT_SUPPORTED', /non-literal/],
  ['SELECT date_trunc(\'fortnight\', timestamp) FROM logs', 'NOT_SUPPORTED', /not a valid Time field/],
  ['SELECT date_format(timestamp, \'%Q\') FROM logs', 'NOT_SUPPORTED', /specifier %Q/],
  ['SELECT message FROM logs WHERE timestamp > now() - interval \'1\' day to second', 'SYNTAX_ERROR', /./],
  ['SELECT 1 INTERSECT SELECT 2', 'SYNTAX_ERROR', /mismatched input/],
  // The grammar reserves VARIANCE.
  ['SELECT variance(sum) FROM metrics', 'SYNTAX_ERROR', /mismatched input/],
  ['SELECT x FROM logs CROSS JOIN UNNEST(dimensions) AS t(x)', 'COLUMN_NOT_FOUND', /dimensions/],
  ['SELECT message FROM logs TABLESAMPLE BERNOULLI (10)', 'NOT_SUPPORTED', /TABLESAMPLE/],
  ["SELECT message FROM logs WHERE message LIKE 'a!%' ESCAPE '!'", 'NOT_SUPPORTED', /ESCAPE/],
  ['SELECT message FROM logs ORDER BY message COLLATE x', 'NOT_SUPPORTED', /COLLATE/],
  ['SELECT message FROM logs WHERE message IS DISTINCT FROM log_group', 'NOT_SUPPORTED', /IS DISTINCT/],
  ["SELECT lower(message) FILTER (WHERE true) FROM logs", 'SYNTAX_ERROR', /FILTER is only valid for aggregation functions/],
  ['SELECT length(message, 2) FROM logs', 'FUNCTION_NOT_FOUND', /expected 1 argument/],
];

for (const [q, type, message] of REFUSED) {
  test(`refuses: ${q.slice(0, 100) || '(empty)'}`, () => {
    assert.throws(() => translate(q, catalog), (e: unknown) => {
      assert.ok(e instanceof AthenaSqlError, `not an AthenaSqlError: ${String(e)}`);
      assert.equal(e.errorType, type, e.message);
      assert.match(e.message, message);
      return true;
    });
  });
}

test('a CTE named like an engine table resolves to the CTE, never to the table', () => {
  const out = sql('WITH log_events AS (SELECT log_group FROM logs WHERE false) SELECT * FROM log_events');
  assert.doesNotMatch(out.replace(/FROM log_events WHERE account = '111111111111'/g, ''), /log_events/);
  // One FROM log_events: the one inside the scoped logs subquery.
  assert.equal(out.match(/FROM log_events/g)?.length, 1);
});

test('a relation aliased like a generated alias or an engine table cannot reach around the scope', () => {
  const out = sql('SELECT trail_events.message FROM logs AS trail_events JOIN metrics AS r0 ON true');
  assert.equal(out.match(/FROM trail_events/g), null);
  assert.match(out, /`r0`\.`message`/);
});

test('literals are re-quoted: quotes and backslashes cannot close the string', () => {
  const out = sql("SELECT log_group FROM logs WHERE message = 'a'' OR 1=1 --\\' AND log_stream = 'x\\b'");
  assert.match(out, /= 'a\\' OR 1=1 --\\\\'\) AND \(`r0`\.`log_stream` = 'x\\\\b'\)/);
});

test('backquoted and double-quoted identifiers only name known columns', () => {
  assert.match(sql('SELECT `log_group`, "message" FROM logs'), /`r0`\.`log_group` AS c0, `r0`\.`message` AS c1/);
  assert.throws(() => translate('SELECT `a``b` FROM logs', catalog), AthenaSqlError);
});

test('comments hide nothing: text after -- or inside /* */ never reaches ClickHouse', () => {
  const out = sql('SELECT log_group /* , account */ FROM logs -- WHERE 1=1 UNION SELECT * FROM system.users');
  assert.doesNotMatch(out, /system|account,|users/);
});

test('very deep nesting fails cleanly', () => {
  const parens = `SELECT ${'('.repeat(5000)}1${')'.repeat(5000)} FROM logs`;
  assert.throws(() => translate(parens, catalog), (e: unknown) => e instanceof AthenaSqlError && e.errorType === 'NOT_SUPPORTED');
  const chain = `SELECT ${Array.from({ length: 3000 }, () => '1').join(' + ')} FROM logs`;
  assert.throws(() => translate(chain, catalog), (e: unknown) => e instanceof AthenaSqlError && e.errorType === 'NOT_SUPPORTED');
  const subqueries = `SELECT ${'(SELECT '.repeat(200)}1${')'.repeat(200)}`;
  assert.throws(() => translate(subqueries, catalog), (e: unknown) => e instanceof AthenaSqlError);
});

test('AND binds tighter than OR (the grammar parses them at one precedence) and parentheses are kept', () => {
  const w = (cond: string) => sql(`SELECT 1 FROM logs WHERE ${cond}`).replace(/^.* WHERE /, '').replace(/`r0`\.`(\w+)`/g, '$1');
  assert.equal(w("message = 'a' AND log_group = 'b' OR log_stream = 'c'"), "((message = 'a') AND (log_group = 'b')) OR (log_stream = 'c'))".replace(/^/, '('));
  assert.equal(w("message = 'a' OR log_group = 'b' AND log_stream = 'c' OR message = 'd'"),
    "((message = 'a') OR ((log_group = 'b') AND (log_stream = 'c')) OR (message = 'd'))");
  assert.equal(w("(message = 'a' OR log_group = 'b') AND log_stream = 'c'"), "(((message = 'a') OR (log_group = 'b')) AND (log_stream = 'c'))");
  assert.equal(w("NOT message = 'a' AND log_group = 'b'"), "((NOT (message = 'a')) AND (log_group = 'b'))");
});

test('integer division is intDiv only when both sides are integers', () => {
  assert.match(sql('SELECT length(message) / 2 FROM logs'), /intDiv\(lengthUTF8\(`r0`\.`message`\), 2\)/);
  assert.match(sql('SELECT sum / 2 FROM metrics'), /\(`r0`\.`sum` \/ 2\)/);
});

test('withSettings appends the settings the SQL relies on', () => {
  const t = translate('SELECT 1', catalog);
  assert.deepEqual(t.settings, { join_use_nulls: 1 });
  assert.equal(withSettings(t), `${t.sql} SETTINGS join_use_nulls = 1`);
});

test('mutated statements (seeded fuzz) either compile or fail with an AthenaSqlError, and never name engine tables', () => {
  const bases = [COMPILES[0]![0], COMPILES[22]![0], COMPILES[26]![0], COMPILES[29]![0]];
  const tokens = ['(', ')', ',', "'", '"', '`', 'SELECT', 'FROM', 'system.tables', 'file(', '--', '/*', '*/', ';', 'AND', 'OR', '*', '.', 'OVER', 'FILTER', 'UNNEST', '\\', 'EXISTS'];
  let seed = 42;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let i = 0; i < 500; i++) {
    let s = bases[rnd(bases.length)]!;
    for (let k = 0; k < 1 + rnd(3); k++) {
      const p = rnd(s.length + 1);
      s = rnd(2) ? `${s.slice(0, p)} ${tokens[rnd(tokens.length)]} ${s.slice(p)}` : s.slice(0, p) + s.slice(p + 1 + rnd(6));
    }
    try {
      const out = translate(s, catalog).sql;
      assert.doesNotMatch(out, /system\.|\bfile\(|\burl\(|FROM (?!log_events WHERE account|metric_raw WHERE account|metric_series WHERE account|metric_tier_1m_v2 WHERE ts|trail_events WHERE account|\(|`r\d)/, s);
    } catch (e) {
      assert.ok(e instanceof AthenaSqlError, `${String(e)} for: ${s}`);
    }
  }
});
