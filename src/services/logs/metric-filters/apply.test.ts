import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { MetricTransformationRecord } from '../../../store/meta/metric-filters.ts';
import type { IngestedBatch } from '../ingest-hooks.ts';
import { compileMetricFilter, metricPointsForBatch } from './apply.ts';

interface MetricCase {
  id: string;
  pattern: string;
  message?: string;
  matches: boolean | null;
  minutes?: { minute: number; messages: string[] }[];
  metric?: { metricValue: string; defaultValue?: number; expected_value?: number | null; expected_increment?: number; expected_per_minute?: (number | null)[] };
}
const vectors = JSON.parse(readFileSync(new URL('../../../../../shared/vectors/filter-patterns.json', import.meta.url), 'utf8')) as { cases: MetricCase[] };
const metricCases = vectors.cases.filter((c) => c.metric !== undefined);

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);

function batch(events: { ts: number; message: string }[]): IngestedBatch {
  return {
    account: '123456789012', region: 'us-east-1', logGroup: '/app', logStream: 's',
    events: events.map((e, i) => ({ timestamp: e.ts, message: e.message, ingestionTime: T0, eventId: String(i) })),
  };
}

function run(pattern: string, t: Partial<MetricTransformationRecord>, events: { ts: number; message: string }[]) {
  const transformation: MetricTransformationRecord = { metricName: 'M', metricNamespace: 'NS', metricValue: '1', ...t };
  return metricPointsForBatch([compileMetricFilter({ name: 'f', pattern, transformations: [transformation] })], batch(events));
}

describe('shared vectors with metric expectations (filter-patterns.json)', () => {
  test('the vectors hold the metric cases this suite relies on', () => {
    assert.ok(metricCases.length >= 8);
  });
  for (const c of metricCases) {
    test(`${c.id}: ${c.pattern}`, () => {
      const m = c.metric!;
      const t = { metricValue: m.metricValue, defaultValue: m.defaultValue };
      if (c.minutes !== undefined) {
        const events = c.minutes.flatMap((min) => min.messages.map((message, i) => ({ ts: T0 + min.minute * 60_000 + i, message })));
        const points = run(c.pattern, t, events);
        const perMinute = c.minutes.map((min) => points.find((p) => p.timestamp === T0 + min.minute * 60_000)?.sum ?? null);
        assert.deepEqual(perMinute, m.expected_per_minute);
        return;
      }
      const points = run(c.pattern, t, [{ ts: T0, message: c.message! }]);
      const expected = m.expected_value ?? m.expected_increment ?? null;
      if (expected !== null) {
        assert.deepEqual(points.map((p) => [p.sampleCount, p.sum]), [[1, expected]]);
      } else if (m.defaultValue !== undefined) {
        // Nothing is published for the event itself; the minute reports the default instead.
        assert.equal(c.matches, false);
        assert.deepEqual(points.map((p) => [p.sampleCount, p.sum]), [[1, m.defaultValue]]);
      } else {
        assert.deepEqual(points, []);
      }
    });
  }
});

describe('aggregation per minute', () => {
  test('matches in one minute form one point with the distribution of their values', () => {
    const events = [
      { ts: T0 + 1_000, message: '{"latency": 50}' },
      { ts: T0 + 2_000, message: '{"latency": 50}' },
      { ts: T0 + 59_999, message: '{"latency": 7.5}' },
      { ts: T0 + 60_000, message: '{"latency": 3}' },
      { ts: T0 + 61_000, message: '{"other": 3}' },
      { ts: T0 + 62_000, message: '{"latency": "12"}' },
      { ts: T0 + 63_000, message: '{"latency": "fast"}' },
    ];
    const points = run('{ $.latency = * }', { metricValue: '$.latency', unit: 'Milliseconds' }, events);
    assert.deepEqual(points.map((p) => [p.timestamp - T0, p.sampleCount, p.sum, p.min, p.max, p.values, p.counts]), [
      [0, 3, 107.5, 7.5, 50, [50, 7.5], [2, 1]],
      [60_000, 2, 15, 3, 12, [3, 12], [1, 1]],
    ]);
    for (const p of points) {
      assert.equal(p.unit, 'Milliseconds');
      assert.equal(p.storageResolution, 60);
      assert.deepEqual(p.dimensions, {});
      assert.equal(p.namespace, 'NS');
      assert.equal(p.metricName, 'M');
      assert.equal(p.account, '123456789012');
    }
  });

  test('the unit defaults to None; a minute without events publishes nothing', () => {
    const points = run('ERROR', {}, [{ ts: T0, message: 'ERROR a' }, { ts: T0 + 180_000, message: 'ERROR b' }]);
    assert.deepEqual(points.map((p) => [p.timestamp - T0, p.sum, p.unit]), [[0, 1, 'None'], [180_000, 1, 'None']]);
  });
});

describe('defaultValue', () => {
  test('every non-matching event contributes the default; matches contribute their value', () => {
    const events = [
      { ts: T0, message: 'ERROR 1' }, { ts: T0 + 1, message: 'INFO' }, { ts: T0 + 2, message: 'INFO' },
      { ts: T0 + 60_000, message: 'INFO' },
    ];
    const points = run('ERROR', { metricValue: '1', defaultValue: 0 }, events);
    assert.deepEqual(points.map((p) => [p.timestamp - T0, p.sampleCount, p.sum, p.values, p.counts]), [
      [0, 3, 1, [1, 0], [1, 2]],
      [60_000, 1, 0, [0], [1]],
    ]);
  });

  test('a non-zero default is reported as given', () => {
    const points = run('ERROR', { metricValue: '5', defaultValue: 2.5 }, [{ ts: T0, message: 'ok' }, { ts: T0 + 1, message: 'ok' }]);
    assert.deepEqual(points.map((p) => [p.sampleCount, p.sum, p.min, p.max]), [[2, 5, 2.5, 2.5]]);
  });

  test('a matching event whose field is not numeric contributes neither its value nor the default', () => {
    const points = run('{ $.latency = * }', { metricValue: '$.latency', defaultValue: 0 }, [{ ts: T0, message: '{"latency":"slow"}' }]);
    assert.deepEqual(points, []);
  });
});

describe('dimensions', () => {
  test('JSON fields become dimension values; each dimension set is its own point', () => {
    const events = [
      { ts: T0, message: '{"type":"GET","code":200,"latency":10}' },
      { ts: T0 + 1, message: '{"type":"GET","code":200,"latency":30}' },
      { ts: T0 + 2, message: '{"type":"PUT","code":500,"latency":5}' },
      { ts: T0 + 3, message: '{"code":500,"latency":5}' },
      { ts: T0 + 4, message: '{"type":{"nested":1},"code":500,"latency":5}' },
    ];
    const points = run('{ $.latency > 0 }', { metricValue: '$.latency', dimensions: { Type: '$.type', Code: '$.code' } }, events);
    assert.deepEqual(points.map((p) => [p.dimensions, p.sampleCount, p.sum]), [
      [{ Type: 'GET', Code: '200' }, 2, 40],
      [{ Type: 'PUT', Code: '500' }, 1, 5],
    ]);
  });

  test('space-delimited fields work as dimensions and values (the Apache example)', () => {
    const log = (status: number, size: number) => `127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" ${status} ${size}`;
    const events = [{ ts: T0, message: log(200, 1534) }, { ts: T0 + 1, message: log(404, 20) }, { ts: T0 + 2, message: log(200, 6) }];
    const points = run('[ip, id, user, timestamp, request, status_code, size]', { metricValue: '$size', dimensions: { StatusCode: '$status_code' }, unit: 'Bytes' }, events);
    assert.deepEqual(points.map((p) => [p.dimensions, p.sum, p.sampleCount, p.unit]), [
      [{ StatusCode: '200' }, 1540, 2, 'Bytes'],
      [{ StatusCode: '404' }, 20, 1, 'Bytes'],
    ]);
  });

  test('dimension sets are one series whatever the key order in the filter', () => {
    const points = metricPointsForBatch([
      compileMetricFilter({ name: 'a', pattern: '{ $.x = * }', transformations: [{ metricName: 'M', metricNamespace: 'N', metricValue: '1', dimensions: { B: '$.b', A: '$.a' } }] }),
    ], batch([{ ts: T0, message: '{"x":1,"a":"1","b":"2"}' }, { ts: T0 + 1, message: '{"x":1,"b":"2","a":"1"}' }]));
    assert.equal(points.length, 1);
    assert.equal(points[0]!.sampleCount, 2);
  });
});

describe('several filters', () => {
  test('each filter publishes independently, in filter order', () => {
    const filters = [
      compileMetricFilter({ name: 'errors', pattern: 'ERROR', transformations: [{ metricName: 'Errors', metricNamespace: 'App', metricValue: '1' }] }),
      compileMetricFilter({ name: 'all', pattern: '', transformations: [{ metricName: 'Lines', metricNamespace: 'App', metricValue: '1' }] }),
    ];
    const points = metricPointsForBatch(filters, batch([{ ts: T0, message: 'ERROR x' }, { ts: T0 + 1, message: 'fine' }]));
    assert.deepEqual(points.map((p) => [p.metricName, p.sum]), [['Errors', 1], ['Lines', 2]]);
  });
});
