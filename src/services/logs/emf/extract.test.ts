import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { extractEmf, parseEmf, type EmfResult } from './extract.ts';
import { emfPointsForBatch } from './hook.ts';
import type { IngestedBatch } from '../ingest-hooks.ts';

/** The documents aws-embedded-metrics 4.2.1 wrote (protocols.md §8, protocol-captures/emf-output.txt). */
const capture = readFileSync(new URL('../../../../../shared/protocol-captures/emf-output.txt', import.meta.url), 'utf8');
const localDocs = capture.split('\n').filter((l) => l.startsWith('{"LogGroup"') || l.startsWith('{"_aws"'));
const agentDocs = capture.split('\n').filter((l) => l.startsWith('{"proto"'))
  .flatMap((l) => (JSON.parse(l) as { raw: string }).raw.split('\n')).filter((l) => l.length > 0);

const CHECKOUT_DIMS = { LogGroup: '/emf/demo', ServiceName: 'checkout-svc', ServiceType: 'NodeApp', Service: 'checkout', Operation: 'Pay' };

function metrics(r: EmfResult) {
  assert.equal(r.kind, 'metrics', JSON.stringify(r));
  return (r as Extract<EmfResult, { kind: 'metrics' }>);
}

describe('observed aws-embedded-metrics documents', () => {
  test('the capture holds the 2 Local and 4 Agent documents', () => {
    assert.equal(localDocs.length, 2);
    assert.equal(agentDocs.length, 4);
  });

  test('a metric with repeated values and a high-resolution metric, one dimension set', () => {
    const r = metrics(parseEmf(localDocs[0]!));
    assert.equal(r.timestamp, 1795318645678);
    assert.deepEqual(r.metrics, [
      { namespace: 'App/EMF', metricName: 'Latency', unit: 'Milliseconds', storageResolution: 60, dimensions: CHECKOUT_DIMS, observation: { values: [123.4, 99] } },
      { namespace: 'App/EMF', metricName: 'HighRes', unit: 'Count', storageResolution: 1, dimensions: CHECKOUT_DIMS, observation: { value: 1 } },
    ]);
  });

  test('"Dimensions": [] publishes the metric once without dimensions', () => {
    const r = metrics(parseEmf(localDocs[1]!));
    assert.deepEqual(r.metrics, [
      { namespace: 'aws-embedded-metrics', metricName: 'Orders', unit: 'Count', storageResolution: 60, dimensions: {}, observation: { value: 3 } },
    ]);
  });

  test('Agent-mode documents carry _aws.LogGroupName/LogStreamName and extract the same metrics', () => {
    for (const raw of agentDocs) {
      const doc = JSON.parse(raw) as { _aws: { LogGroupName?: string; Timestamp: number } };
      assert.equal(typeof doc._aws.LogGroupName, 'string');
      const r = metrics(parseEmf(raw));
      assert.equal(r.timestamp, doc._aws.Timestamp);
      assert.ok(r.metrics.length >= 1);
    }
    const udpCheckout = metrics(parseEmf(agentDocs[2]!));
    assert.deepEqual(udpCheckout.metrics[0]!.dimensions, { ...CHECKOUT_DIMS, LogGroup: 'checkout-svc-metrics' });
  });

  test('the hook turns a captured document into points with the library summary statistics', () => {
    const batch: IngestedBatch = {
      account: '000000000000', region: 'us-east-1', logGroup: '/emf/demo', logStream: 'stream-1',
      events: [{ timestamp: 1795318652678, message: agentDocs[0]!, ingestionTime: 1795318652700, eventId: '1' }],
    };
    const points = emfPointsForBatch(batch);
    assert.deepEqual(points.map((p) => [p.namespace, p.metricName, p.storageResolution, p.unit, p.sampleCount, p.sum, p.min, p.max, p.values, p.counts]), [
      ['App/EMF', 'Latency', 60, 'Milliseconds', 2, 222.4, 99, 123.4, [123.4, 99], [1, 1]],
      ['App/EMF', 'HighRes', 1, 'Count', 1, 1, 1, 1, [1], [1]],
    ]);
    assert.ok(points.every((p) => p.timestamp === 1795318652678 && p.account === '000000000000'));
  });
});

const doc = (aws: Record<string, unknown>, root: Record<string, unknown> = {}) =>
  JSON.stringify({ _aws: { Timestamp: 1_700_000_000_000, ...aws }, ...root });
const directive = (over: Record<string, unknown> = {}) => ({ Namespace: 'NS', Dimensions: [['Svc']], Metrics: [{ Name: 'M' }], ...over });

describe('what is and is not EMF', () => {
  test('plain text, JSON without _aws, and _aws without a CloudWatchMetrics array are plain log events', () => {
    for (const m of ['hello', '', '[1,2]', '{"a":1}', '{"_aws":1}', '{"_aws":{"Timestamp":1}}', '{"_aws":{"CloudWatchMetrics":{}}}', '"{\\"_aws\\"}"', 'x {"_aws":{"CloudWatchMetrics":[]}}']) {
      assert.deepEqual(parseEmf(m), { kind: 'none' }, m);
    }
  });

  test('something that starts like EMF but is not JSON is a parsing error', () => {
    assert.deepEqual(parseEmf('{"_aws":{"CloudWatchMetrics":[ '), { kind: 'unparseable' });
  });

  test('leading whitespace is fine; a document with no directives publishes nothing', () => {
    assert.deepEqual(parseEmf(`  \n${doc({ CloudWatchMetrics: [] })}`), { kind: 'metrics', timestamp: 1_700_000_000_000, metrics: [] });
    // What the library writes when nothing was put: Metrics [] is valid and empty.
    assert.deepEqual(metrics(parseEmf(doc({ CloudWatchMetrics: [directive({ Dimensions: [], Metrics: [] })] }))).metrics, []);
  });
});

describe('spec validation: an invalid document yields no metric at all', () => {
  const cases: [string, string][] = [
    ['missing Timestamp', JSON.stringify({ _aws: { CloudWatchMetrics: [directive()] }, Svc: 'a', M: 1 })],
    ['fractional Timestamp', doc({ Timestamp: 1.5, CloudWatchMetrics: [directive()] }, { Svc: 'a', M: 1 })],
    ['string Timestamp', doc({ Timestamp: '1700000000000', CloudWatchMetrics: [directive()] }, { Svc: 'a', M: 1 })],
    ['directive not an object', doc({ CloudWatchMetrics: [1] })],
    ['missing Namespace', doc({ CloudWatchMetrics: [directive({ Namespace: undefined })] }, { Svc: 'a', M: 1 })],
    ['blank Namespace', doc({ CloudWatchMetrics: [directive({ Namespace: ' ' })] }, { Svc: 'a', M: 1 })],
    ['Namespace too long', doc({ CloudWatchMetrics: [directive({ Namespace: 'n'.repeat(256) })] }, { Svc: 'a', M: 1 })],
    ['Metrics not an array', doc({ CloudWatchMetrics: [directive({ Metrics: {} })] }, { Svc: 'a' })],
    ['101 metrics', doc({ CloudWatchMetrics: [directive({ Dimensions: [], Metrics: Array.from({ length: 101 }, (_, i) => ({ Name: `m${i}` })) })] },
      Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`m${i}`, i])))],
    ['Dimensions not an array', doc({ CloudWatchMetrics: [directive({ Dimensions: 'Svc' })] }, { Svc: 'a', M: 1 })],
    ['a dimension set that is not an array', doc({ CloudWatchMetrics: [directive({ Dimensions: ['Svc'] })] }, { Svc: 'a', M: 1 })],
    ['31 dimensions in a set', doc({ CloudWatchMetrics: [directive({ Dimensions: [Array.from({ length: 31 }, (_, i) => `d${i}`)] })] },
      { M: 1, ...Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`d${i}`, 'v'])) })],
    ['dimension member missing', doc({ CloudWatchMetrics: [directive()] }, { M: 1 })],
    ['numeric dimension value', doc({ CloudWatchMetrics: [directive()] }, { Svc: 7, M: 1 })],
    ['empty dimension value', doc({ CloudWatchMetrics: [directive()] }, { Svc: '', M: 1 })],
    ['nested dimension reference', doc({ CloudWatchMetrics: [directive({ Dimensions: [['A.a']] })] }, { A: { a: 'x' }, M: 1 })],
    ['metric member missing', doc({ CloudWatchMetrics: [directive()] }, { Svc: 'a' })],
    ['metric value a string', doc({ CloudWatchMetrics: [directive()] }, { Svc: 'a', M: '1' })],
    ['metric array with a string', doc({ CloudWatchMetrics: [directive()] }, { Svc: 'a', M: [1, '2'] })],
    ['empty metric array', doc({ CloudWatchMetrics: [directive()] }, { Svc: 'a', M: [] })],
    ['101 values', doc({ CloudWatchMetrics: [directive()] }, { Svc: 'a', M: Array.from({ length: 101 }, (_, i) => i) })],
    ['unknown unit', doc({ CloudWatchMetrics: [directive({ Metrics: [{ Name: 'M', Unit: 'Furlongs' }] })] }, { Svc: 'a', M: 1 })],
    ['lower-case unit', doc({ CloudWatchMetrics: [directive({ Metrics: [{ Name: 'M', Unit: 'count' }] })] }, { Svc: 'a', M: 1 })],
    ['StorageResolution 5', doc({ CloudWatchMetrics: [directive({ Metrics: [{ Name: 'M', StorageResolution: 5 }] })] }, { Svc: 'a', M: 1 })],
    ['metric definition without Name', doc({ CloudWatchMetrics: [directive({ Metrics: [{ Unit: 'Count' }] })] }, { Svc: 'a', M: 1 })],
    ['statistic set without Count', doc({ CloudWatchMetrics: [directive()] }, { Svc: 'a', M: { Max: 1, Min: 0, Sum: 1 } })],
    ['statistic set with Min > Max', doc({ CloudWatchMetrics: [directive()] }, { Svc: 'a', M: { Max: 1, Min: 2, Sum: 1, Count: 1 } })],
    ['Values without Counts', doc({ CloudWatchMetrics: [directive()] }, { Svc: 'a', M: { Max: 1, Min: 0, Sum: 1, Count: 2, Values: [0, 1] } })],
    // One bad directive spoils the whole document, also the good one before it.
    ['second directive bad', doc({ CloudWatchMetrics: [directive(), directive({ Namespace: 7 })] }, { Svc: 'a', M: 1 })],
  ];
  for (const [what, message] of cases) {
    test(what, () => {
      const r = parseEmf(message);
      assert.equal(r.kind, 'invalid', `${what}: ${JSON.stringify(r)}`);
    });
  }

  test('the timestamp must be within 14 days back and 2 hours ahead of ingestion', () => {
    const now = 1_700_000_000_000;
    const at = (ts: number) => parseEmf(doc({ Timestamp: ts, CloudWatchMetrics: [directive()] }, { Svc: 'a', M: 1 }), now).kind;
    assert.equal(at(now - 14 * 86_400_000), 'metrics');
    assert.equal(at(now - 14 * 86_400_000 - 1), 'invalid');
    assert.equal(at(now + 2 * 3_600_000), 'metrics');
    assert.equal(at(now + 2 * 3_600_000 + 1), 'invalid');
  });
});

describe('extraction', () => {
  test('one metric per (directive × dimension set × metric), values from root members', () => {
    const r = metrics(parseEmf(doc({
      CloudWatchMetrics: [
        { Namespace: 'A', Dimensions: [['Svc'], ['Svc', 'Op'], []], Metrics: [{ Name: 'Lat', Unit: 'Milliseconds' }, { Name: 'Err' }] },
        { Namespace: 'B', Dimensions: [['Op']], Metrics: [{ Name: 'Lat' }] },
      ],
    }, { Svc: 's', Op: 'o', Lat: [1, 2, 3], Err: 0, RequestId: 'r-1' })));
    assert.deepEqual(r.metrics.map((m) => [m.namespace, m.metricName, m.unit, m.dimensions]), [
      ['A', 'Lat', 'Milliseconds', { Svc: 's' }], ['A', 'Lat', 'Milliseconds', { Svc: 's', Op: 'o' }], ['A', 'Lat', 'Milliseconds', {}],
      ['A', 'Err', 'None', { Svc: 's' }], ['A', 'Err', 'None', { Svc: 's', Op: 'o' }], ['A', 'Err', 'None', {}],
      ['B', 'Lat', 'None', { Op: 'o' }],
    ]);
    assert.deepEqual(r.metrics[0]!.observation, { values: [1, 2, 3] });
  });

  test('a missing Dimensions member publishes without dimensions (OpenTelemetry EMF exporter form)', () => {
    const r = metrics(parseEmf(doc({ CloudWatchMetrics: [{ Namespace: 'N', Metrics: [{ Name: 'M' }] }] }, { M: 2 })));
    assert.deepEqual(r.metrics.map((m) => m.dimensions), [{}]);
  });

  test('a metric named twice in a directive is published once', () => {
    const r = metrics(parseEmf(doc({ CloudWatchMetrics: [directive({ Metrics: [{ Name: 'M' }, { Name: 'M', Unit: 'Count' }] })] }, { Svc: 'a', M: 1 })));
    assert.equal(r.metrics.length, 1);
  });

  test('statistic sets, with or without a distribution, keep the publisher statistics', () => {
    const r = metrics(parseEmf(doc({ CloudWatchMetrics: [directive({ Dimensions: [], Metrics: [{ Name: 'S' }, { Name: 'H' }] })] }, {
      S: { Max: 10, Min: 1, Count: 4, Sum: 20 },
      H: { Values: [1, 3, 7], Counts: [2, 1, 0], Max: 3.2, Min: 0.9, Count: 3, Sum: 5.1 },
    })));
    assert.deepEqual(r.metrics.map((m) => m.observation), [
      { statisticValues: { sampleCount: 4, sum: 20, minimum: 1, maximum: 10 } },
      { statisticValues: { sampleCount: 3, sum: 5.1, minimum: 0.9, maximum: 3.2 }, values: [1, 3, 7], counts: [2, 1, 0] },
    ]);
  });

  test('unknown members of _aws and of directives are ignored', () => {
    const r = metrics(parseEmf(doc({ LogGroupName: 'g', Extra: true, CloudWatchMetrics: [directive({ Extra: 1 })] }, { Svc: 'a', M: 5 })));
    assert.deepEqual(r.metrics[0]!.observation, { value: 5 });
  });

  test('extractEmf works on a parsed object (the agent listener parses once)', () => {
    assert.equal(extractEmf(JSON.parse(localDocs[0]!) as Record<string, unknown>).kind, 'metrics');
  });
});

describe('the hook counts unusable EMF per log group and minute', () => {
  test('validation and parsing errors become AWS/Logs EMFValidationErrors / EMFParsingErrors', () => {
    const t = 1_700_000_080_000; // 40 s into the minute that starts at 1_700_000_040_000
    const ev = (i: number, message: string, ts = t) => ({ timestamp: ts, message, ingestionTime: t, eventId: String(i) });
    const points = emfPointsForBatch({
      account: '1', region: 'r', logGroup: '/g', logStream: 's',
      events: [
        ev(0, doc({ CloudWatchMetrics: [directive()] }, { M: 1 })),
        ev(1, doc({ CloudWatchMetrics: [directive()] }, { Svc: 3, M: 1 })),
        ev(2, '{"_aws": nope'),
        ev(3, 'plain text'),
        ev(4, doc({ CloudWatchMetrics: [directive()] }, { M: 1 }), t + 60_000),
      ],
    });
    assert.deepEqual(points.map((p) => [p.namespace, p.metricName, p.dimensions, p.timestamp, p.sum]), [
      ['AWS/Logs', 'EMFValidationErrors', { LogGroupName: '/g' }, 1_700_000_040_000, 2],
      ['AWS/Logs', 'EMFParsingErrors', { LogGroupName: '/g' }, 1_700_000_040_000, 1],
      ['AWS/Logs', 'EMFValidationErrors', { LogGroupName: '/g' }, 1_700_000_100_000, 1],
    ]);
  });
});
