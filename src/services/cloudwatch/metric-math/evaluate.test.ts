import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricMathError } from './errors.ts';
import { evaluate, requireTimeSeries } from './evaluate.ts';
import { parseExpression } from './parse.ts';
import type { MathSeries, SearchRequest } from './types.ts';
import { arrayOf, context, run, values } from './test-support.ts';

const isError = (pattern: RegExp) => (e: unknown) => e instanceof MetricMathError && pattern.test(e.message);

describe('SEARCH', () => {
  test('asks the resolver with the parsed query, statistic and period, and returns an array', async () => {
    const seen: SearchRequest[] = [];
    const search = async (req: SearchRequest) => {
      seen.push(req);
      return [
        { label: 'fn-a', values: [1, 2] },
        { label: 'fn-b', values: [3, null] },
      ];
    };
    const sums = await values(`SUM(SEARCH(' {AWS/Lambda, FunctionName} MetricName="Errors" ', 'Sum', 300))`, { m1: [0, 0] }, { search });
    assert.deepEqual(sums, [4, 2]);
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0]!.query.schema, { namespace: 'AWS/Lambda', dimensionNames: ['FunctionName'] });
    assert.equal(seen[0]!.statistic, 'Sum');
    assert.equal(seen[0]!.period, 300);
  });

  test('without a period the expression period is used', async () => {
    let period = 0;
    await arrayOf(`SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization"', 'Average')`, { m1: [0] }, {
      period: 120,
      search: async (req) => ((period = req.period), []),
    });
    assert.equal(period, 120);
  });

  test('is an error when the context has no resolver', async () => {
    await assert.rejects(run(`SEARCH('{AWS/EC2}', 'Average', 60)`, { m1: [0] }), isError(/SEARCH is not available/));
  });
});

describe('ANOMALY_DETECTION_BAND', () => {
  const band = async (id: string, k: number) => [
    { label: `${id} upper`, values: [10 + k, 20 + k] },
    { label: `${id} lower`, values: [10 - k, 20 - k] },
  ] as [MathSeries, MathSeries];

  test('is the upper then the lower bound; FIRST is the upper, LAST the lower; stddevs defaults to 2', async () => {
    assert.deepEqual((await arrayOf('ANOMALY_DETECTION_BAND(m1)', { m1: [1, 2] }, { band })).map((s) => s.values), [[12, 22], [8, 18]]);
    const first = await run('FIRST(ANOMALY_DETECTION_BAND(m1, 3))', { m1: [1, 2] }, { band });
    assert.deepEqual(first.kind === 'series' && first.series.values, [13, 23]);
    const last = await run('LAST(ANOMALY_DETECTION_BAND(m1, 3))', { m1: [1, 2] }, { band });
    assert.deepEqual(last.kind === 'series' && last.series.values, [7, 17]);
  });

  test('takes an Id and a positive width, and needs a resolver', async () => {
    await assert.rejects(run('ANOMALY_DETECTION_BAND(m1 * 2)', { m1: [1] }, { band }), isError(/takes the Id of a metric/));
    await assert.rejects(run('ANOMALY_DETECTION_BAND(m1, -1)', { m1: [1] }, { band }), isError(/must be a positive number/));
    await assert.rejects(run('ANOMALY_DETECTION_BAND(m9)', { m1: [1] }, { band }), isError(/Unrecognized Id 'm9'/));
    await assert.rejects(run('ANOMALY_DETECTION_BAND(m1)', { m1: [1] }), isError(/not available/));
  });
});

describe('INSIGHT_RULE_METRIC', () => {
  test('asks the resolver for the rule metric and needs two strings', async () => {
    const insightRule = async (rule: string, metric: string) => (rule === 'r' && metric === 'Sum' ? [3, null] : [0, 0]);
    assert.deepEqual(await values('INSIGHT_RULE_METRIC("r", "Sum")', { m1: [1, 1] }, { insightRule }), [3, null]);
    await assert.rejects(run('INSIGHT_RULE_METRIC(m1, "Sum")', { m1: [1] }, { insightRule }), isError(/Argument 1 of INSIGHT_RULE_METRIC/));
    await assert.rejects(run('INSIGHT_RULE_METRIC("r", "Sum")', { m1: [1] }), isError(/not available/));
  });
});

describe('unsupported functions are errors, never results', () => {
  for (const [expression, pattern] of [
    ['SERVICE_QUOTA(m1)', /SERVICE_QUOTA is not supported/],
    ['LAMBDA("fn")', /LAMBDA is not supported/],
    ['DB_PERF_INSIGHTS("RDS", "db-1", "db.load.avg")', /DB_PERF_INSIGHTS is not supported/],
  ] as const) {
    test(expression, async () => {
      await assert.rejects(run(expression, { m1: [1] }), isError(pattern));
    });
  }
});

describe('values in the wrong place', () => {
  test('a keyword or string is only an argument', async () => {
    await assert.rejects(run('m1 + AVG', { m1: [1] }), isError(/keyword AVG cannot be used in the operator \+/));
    await assert.rejects(run('"x"', { m1: [1] }), isError(/string cannot be used/));
  });

  test('an array holds series, not scalars', async () => {
    await assert.rejects(run('SUM([m1, 5])', { m1: [1] }), isError(/Argument 2 of \[ \] must be a time series/));
  });
});

describe('requireTimeSeries', () => {
  test('accepts a series or an array and rejects a scalar final result', async () => {
    const ctx = context({ m1: [1, 2] });
    assert.deepEqual(requireTimeSeries(await evaluate(parseExpression('m1 * 2'), ctx)).map((s) => s.values), [[2, 4]]);
    assert.equal(requireTimeSeries(await evaluate(parseExpression('METRICS()'), ctx)).length, 1);
    assert.throws(() => requireTimeSeries({ kind: 'scalar', value: 1 }), isError(/final result .* must be a time series/));
  });
});

test('series that are not aligned to the timestamps are a caller bug', async () => {
  const ctx = { ...context({ m1: [1, 2] }), timestamps: [0, 60_000, 120_000] };
  await assert.rejects(evaluate(parseExpression('m1 + 1'), ctx), /Id 'm1' has 2 values for 3 timestamps/);
  const search = async () => [{ label: 'x', values: [1] }];
  await assert.rejects(evaluate(parseExpression(`SEARCH('{NS}', 'Sum', 60)`), { ...context({ m1: [1, 2] }), search }), /SEARCH result has 1 values for 2 timestamps/);
});

test('evaluation is pure: the inputs are not modified', async () => {
  const ctx = context({ m1: [null, 1, null] });
  const before = JSON.stringify([...ctx.metrics]);
  await evaluate(parseExpression('FILL(m1, REPEAT) + RUNNING_SUM(FILL(METRICS(), 0))'), ctx);
  assert.equal(JSON.stringify([...ctx.metrics]), before);
});
