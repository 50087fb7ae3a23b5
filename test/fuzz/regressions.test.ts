/**
 * Regressions: bugs the fuzz/property tests found (all fixed; each test failed before its fix).
 *
 *  1. rpc-v2-cbor routing: a malformed percent-encoding in /service/<svc>/operation/<op> makes
 *     decodeURIComponent throw URIError in src/protocol/router.ts (route(), the two
 *     decodeURIComponent calls) → 500 InternalFailure, even for unsigned requests.
 *  2. Composite alarm rules: parseAlarmRule recurses once per '(' (parse.ts rule → and → not →
 *     primary) and overflows the stack at ~2.5k nested parentheses, well within the 10240-character
 *     AlarmRule limit → RangeError instead of AlarmRuleError; over the wire PutCompositeAlarm → 400 ValidationError
 *     whose message is the leaked "Maximum call stack size exceeded" (put-alarm.ts wraps every error).
 *  3. Metric math: parseExpression (metric-math/parse.ts expression → … → primary) overflows the stack
 *     at ~1250 nested parentheses (RangeError instead of MetricMathError). Not reachable over the wire
 *     today (Expression is ≤ 2048 characters), but the parser has no limit of its own.
 *  4. Filter-pattern regexes run on V8's backtracking engine (filter-pattern/match.ts compileRegex:
 *     `new RegExp(r.js)`), so `%a?…a?a…a%` (n optional + n required) takes exponential time on a
 *     message of n 'a's. AWS evaluates with RE2 (linear). It blocks the event loop of the whole
 *     server: TestMetricFilter, and worse, every PutLogEvents into a group with such a metric or
 *     subscription filter, and Live Tail.
 * Fixes: router.ts pathSegment() (404 UnknownOperationException); depth limits of 100 in both
 * parsers (AlarmRuleError / MetricMathError); filter-pattern regexes run on V8's linear-time engine
 * (src/lib/linear-regexp.ts).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { sendSigned } from './support.ts';
import { parseAlarmRule, AlarmRuleError } from '../../src/services/cloudwatch/alarms/composite/index.ts';
import { parseExpression, MetricMathError } from '../../src/services/cloudwatch/metric-math/index.ts';
import { parseFilterPattern, compileFilterPattern } from '../../src/services/logs/filter-pattern/index.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

const thrown = (f: () => unknown): unknown => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e;
  }
};

test('BUG 1: a malformed percent-encoding in the rpc-v2-cbor path is a 4xx, not a 500 (router.ts decodeURIComponent)', async () => {
  for (const path of ['/service/%E0%A4%A/operation/PutMetricData', '/service/GraniteServiceVersion20100801/operation/%zz', '/service/%/operation/%']) {
    for (const sign of [true, false]) {
      const r = await sendSigned(server.url, {
        label: 'bug1', protocol: 'cbor', service: 'monitoring', path, sign,
        headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-query-mode': 'true' },
        body: Buffer.from([0xa0]),
      });
      assert.ok(r.status >= 400 && r.status < 500, `${path} (${sign ? 'signed' : 'unsigned'}) → ${r.status}`);
    }
  }
});

test('BUG 2a: deeply nested parentheses in an AlarmRule throw AlarmRuleError, not RangeError (composite/parse.ts)', () => {
  // 6008 characters (under the 10240 limit), and an unbalanced 10240 '(' that recurses just the same.
  for (const rule of [`${'('.repeat(3000)}ALARM(a)${')'.repeat(3000)}`, '('.repeat(10_240)]) {
    const e = thrown(() => parseAlarmRule(rule));
    assert.ok(e === undefined || e instanceof AlarmRuleError, `${rule.length} chars: threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
  }
});

test('BUG 2b: PutCompositeAlarm with a deeply nested AlarmRule answers a real ValidationError, not the leaked RangeError text', async () => {
  const rule = `${'('.repeat(3000)}ALARM(a)${')'.repeat(3000)}`;
  const r = await sendSigned(server.url, {
    label: 'bug2', protocol: 'json', service: 'monitoring',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.PutCompositeAlarm', 'x-amzn-query-mode': 'true' },
    body: Buffer.from(JSON.stringify({ AlarmName: 'deep', AlarmRule: rule })),
  });
  assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}: ${r.body.toString().slice(0, 300)}`);
  // Today: 400 {"__type":"ValidationError","message":"Maximum call stack size exceeded"} (put-alarm.ts wraps any error).
  assert.doesNotMatch(r.body.toString(), /Maximum call stack/);
});

test('BUG 3: deeply nested metric math throws MetricMathError, not RangeError (metric-math/parse.ts)', () => {
  const expr = `${'('.repeat(2000)}m1${')'.repeat(2000)}`;
  const e = thrown(() => parseExpression(expr));
  assert.ok(e === undefined || e instanceof MetricMathError, `threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
});

test('BUG 4a: a filter-pattern regex matches in linear time (match.ts compileRegex uses backtracking RegExp)', () => {
  const n = 30;
  const pattern = `%${'a?'.repeat(n)}${'a'.repeat(n)}%`; // 92 characters
  const c = compileFilterPattern(parseFilterPattern(pattern));
  const t0 = performance.now();
  c.matches('a'.repeat(n));
  const ms = performance.now() - t0;
  assert.ok(ms < 50, `matching ${n} characters took ${Math.round(ms)} ms; each extra 'a?a' multiplies it (n=40 takes minutes)`);
});

test('BUG 4b: TestMetricFilter with a backtracking regex answers promptly and does not stall the server', async () => {
  const n = 40; // ~2 s of blocked event loop on a fast machine, growing ×1.2 per step
  const pattern = `%${'a?'.repeat(n)}${'a'.repeat(n)}%`;
  const t0 = performance.now();
  const r = await sendSigned(server.url, {
    label: 'bug4', protocol: 'json', service: 'logs',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.TestMetricFilter' },
    body: Buffer.from(JSON.stringify({ filterPattern: pattern, logEventMessages: ['a'.repeat(n)] })),
  });
  const ms = performance.now() - t0;
  assert.ok(r.status < 500, `status ${r.status}`);
  assert.ok(ms < 1_000, `TestMetricFilter took ${Math.round(ms)} ms (the event loop of the whole server was blocked)`);
});
