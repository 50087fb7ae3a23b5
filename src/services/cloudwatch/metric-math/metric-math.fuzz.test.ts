/**
 * Property/fuzz tests of metric math and SEARCH: parseExpression, evaluate, parseSearchQuery and
 * matchesSearch either succeed or throw MetricMathError — never a TypeError, RangeError (stack
 * overflow) or anything else — and terminate quickly. Evaluation results hold only finite numbers
 * or null. OSPREY_LONG=1 runs 10× the cases; OSPREY_FUZZ_SEED replays a run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MetricMathError, parseExpression, evaluate, parseSearchQuery, matchesSearch, type MathContext, type MathValue, type MathSeries } from './index.ts';
import { FUNCTION_NAMES } from './signatures.ts';
import { anyString, expectOnly, expectOnlyAsync, fcParams, mutatedText, nested, tokenSoup } from '../../../../test/fuzz/support.ts';

const isMathError = (e: unknown): boolean => e instanceof MetricMathError;
const T0 = Date.parse('2024-01-01T00:00:00Z');

const TOKENS = [
  'm1', 'm2', 'e1', 'x', 'METRICS()', "METRICS('m')", '(', ')', ',', '+', '-', '*', '/', '^', '==', '!=', '<', '>', '<=', '>=', 'AND', 'OR',
  'AVG', 'MIN', 'MAX', 'SUM', 'ASC', 'DESC', 'REPEAT', 'LINEAR', '0', '1', '-1', '2.5', '1e308', '1e-320', '0.0', "'str'", '"str"', "''",
  "SEARCH('{AWS/EC2,InstanceId} CPU', 'Average', 300)", 'PERIOD(m1)', 'FILL(m1, 0)', 'IF(m1 > 1, m1, 0)', 'RATE(m1)', 'SORT(METRICS(), AVG, DESC)',
  ...FUNCTION_NAMES.flatMap((f) => [f, `${f}(`]),
];

const series = fc.array(fc.oneof(fc.constant(null), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -5, max: 5 })), { minLength: 0, maxLength: 8 });

function context(m1: (number | null)[], m2: (number | null)[]): MathContext {
  const n = Math.max(m1.length, m2.length);
  const pad = (v: (number | null)[]) => Array.from({ length: n }, (_, i) => v[i] ?? null);
  const metrics = new Map<string, MathValue>([
    ['m1', { kind: 'series', series: { id: 'm1', label: 'm1', values: pad(m1) } }],
    ['m2', { kind: 'series', series: { id: 'm2', label: 'm2', values: pad(m2) } }],
    ['e1', { kind: 'scalar', value: 3 }],
  ]);
  return {
    timestamps: Array.from({ length: n }, (_, i) => T0 + i * 60_000),
    period: 60,
    metrics,
    expressionIds: new Set(['e1']),
    metricPeriods: new Map([['m1', 60], ['m2', 300]]),
    search: async () => [{ label: 's', values: pad(m1) } satisfies MathSeries],
  };
}

function checkValue(v: MathValue, expr: string): void {
  const all = v.kind === 'scalar' ? [] : v.kind === 'series' ? [v.series] : v.series;
  for (const s of all) for (const x of s.values) assert.ok(x === null || Number.isFinite(x), `${expr}: non-finite value ${x} in the result`);
}

async function exercise(expr: string, m1: (number | null)[], m2: (number | null)[]): Promise<void> {
  const parsed = expectOnly(expr, () => parseExpression(expr), isMathError, 'parseExpression');
  if (!parsed.ok) return;
  const r = await expectOnlyAsync(expr, () => evaluate(parsed.value, context(m1, m2)), isMathError, 'evaluate');
  if (r.ok) checkValue(r.value, expr);
}

const validExpr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('m1', 'm2', '1', '2.5', 'METRICS()'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^', '>', '<=', 'AND'), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(fc.constantFrom('ABS', 'CEIL', 'FLOOR', 'RATE', 'DIFF', 'RUNNING_SUM', 'LOG', 'SUM', 'AVG', 'MAX'), tie('e')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `FILL(${a}, ${b})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, b, c]) => `IF(${a}, ${b}, ${c})`),
  ),
})).e;

test('metric math, random strings: parse/evaluate throw only MetricMathError', async () => {
  await fc.assert(fc.asyncProperty(anyString(200), series, series, exercise), fcParams(1000));
});

test('metric math, token soup: parse/evaluate throw only MetricMathError', async () => {
  await fc.assert(fc.asyncProperty(tokenSoup(TOKENS, 20), series, series, exercise), fcParams(3000));
});

test('metric math, mutated valid expressions: only MetricMathError', async () => {
  await fc.assert(fc.asyncProperty(mutatedText(validExpr), series, series, exercise), fcParams(1500));
});

test('metric math round trip: generated well-typed expressions parse', async () => {
  await fc.assert(
    fc.asyncProperty(validExpr, series, series, async (e, a, b) => {
      const p = expectOnly(e, () => parseExpression(e), () => false, 'parseExpression(valid)');
      assert.ok(p.ok);
      await exercise(e, a, b);
    }),
    fcParams(500),
  );
});

test('metric math: deep nesting and long inputs give MetricMathError, not a stack overflow', async () => {
  // Expressions are at most 2048 characters on the wire (GetMetricData, PutMetricAlarm); deeper
  // nesting than that is refused by the parser's depth limit (test/fuzz/regressions.test.ts).
  const inputs = [
    nested('(', ')', 'm1', 1023),
    nested('ABS(', ')', 'm1', 409),
    `${'-'.repeat(2046)}m1`,
    Array.from({ length: 400 }, () => 'm1').join(' + '),
    Array.from({ length: 680 }, () => 'm1').join('^'),
    `SUM([${Array.from({ length: 600 }, () => 'm1').join(',')}])`,
    nested('[', ']', 'm1', 1023),
    `IF(${nested('IF(m1,', ',m2)', 'm1', 150)}, m1, m2)`,
    'm1 ^ 1e308 ^ 1e308',
    'm1 / 0 * -1e308',
    'LOG(0 - m1) * 1e308',
    `'${'x'.repeat(2000)}'`,
    `SEARCH('${'{'.repeat(1000)}', 'Sum', 60)`,
    `SEARCH('${'('.repeat(500)}x${')'.repeat(500)}', 'Sum', 60)`,
    `SEARCH('${'NOT '.repeat(250)}x', 'Sum', 60)`,
    'PERIOD(m1) * 1e308 * 1e308',
  ];
  for (const e of inputs) assert.ok(e.length <= 2048, `probe longer than the wire limit: ${e.length}`);
  for (const e of inputs) await exercise(e, [1, null, -2, 0], [0, 0, 1e308, -1e308]);
});

// ---------------------------------------------------------------------------------------------
// SEARCH query strings

const SEARCH_TOKENS = [
  '{', '}', 'AWS/EC2', 'InstanceId', '"quoted name"', '"a\\"b"', '\\', ',', '(', ')', '=', 'AND', 'OR', 'NOT', 'and', 'MetricName',
  'Namespace', ':aws.AccountId', 'CPUUtilization', 'cpu', '"exact"', '*', 'i-123', '-', '_', '.', '/', '#', ':',
];
const validSearch = fc
  .tuple(
    fc.option(fc.array(fc.constantFrom('AWS/EC2', 'InstanceId', '"My NS"', 'AutoScalingGroupName'), { minLength: 1, maxLength: 3 })),
    fc.option(fc.array(fc.oneof(fc.constantFrom('cpu', 'MetricName="CPUUtilization"', 'NOT i-1', '(a OR b)', '"exact term"')), { minLength: 1, maxLength: 3 })),
  )
  .filter(([s, t]) => s !== null || t !== null)
  .map(([s, t]) => [s ? `{${s.join(',')}}` : '', t ? t.join(' ') : ''].filter(Boolean).join(' '));

const searchable = fc.record({
  namespace: fc.constantFrom('AWS/EC2', 'My NS', ''),
  metricName: fc.string({ maxLength: 20 }),
  dimensions: fc.array(fc.record({ name: fc.string({ maxLength: 8 }), value: fc.string({ maxLength: 8 }) }), { maxLength: 3 }),
  account: fc.constant('000000000000'),
});

function exerciseSearch(q: string, metrics: { namespace: string; metricName: string; dimensions: { name: string; value: string }[]; account: string }[]): void {
  const parsed = expectOnly(q, () => parseSearchQuery(q), isMathError, 'parseSearchQuery');
  if (!parsed.ok) return;
  for (const m of metrics) {
    const metric = { namespace: m.namespace, metricName: m.metricName, dimensions: Object.fromEntries(m.dimensions.map((d) => [d.name, d.value])), account: m.account };
    expectOnly(q, () => matchesSearch(parsed.value, metric as never), () => false, 'matchesSearch');
  }
}

test('SEARCH, random strings and token soup: only MetricMathError', () => {
  fc.assert(fc.property(fc.oneof(anyString(200), tokenSoup(SEARCH_TOKENS, 25)), fc.array(searchable, { maxLength: 3 }), exerciseSearch), fcParams(3000));
});

test('SEARCH, mutated valid queries: only MetricMathError', () => {
  fc.assert(fc.property(mutatedText(validSearch), fc.array(searchable, { maxLength: 3 }), exerciseSearch), fcParams(1500));
});

test('SEARCH round trip: generated valid queries parse', () => {
  fc.assert(fc.property(validSearch, (q) => assert.ok(expectOnly(q, () => parseSearchQuery(q), () => false, 'parseSearchQuery(valid)').ok)), fcParams(300));
});

test('SEARCH: deep nesting gives MetricMathError, not a stack overflow', () => {
  for (const q of [nested('(', ')', 'x', 511), nested('NOT ', '', 'x', 255), `{${'a,'.repeat(511)}b}`, `"${'\\'.repeat(1000)}"`, '{', '"', '(']) {
    exerciseSearch(q, [{ namespace: 'a', metricName: 'x', dimensions: [{ name: 'a', value: 'x' }], account: '000000000000' }]);
  }
});
