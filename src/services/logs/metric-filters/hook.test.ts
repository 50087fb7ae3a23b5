import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../../lib/logger.ts';
import type { MetricFilterRecord } from '../../../store/meta/metric-filters.ts';
import type { MetricPoint } from '../../../store/telemetry/metric-points.ts';
import type { IngestedBatch } from '../ingest-hooks.ts';
import { EmfIngestHook } from '../emf/hook.ts';
import { MetricFilterIngestHook } from './hook.ts';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const batch = (messages: string[], logGroup = '/app'): IngestedBatch => ({
  account: '1', region: 'r', logGroup, logStream: 's',
  events: messages.map((message, i) => ({ timestamp: T0 + i, message, ingestionTime: T0, eventId: String(i) })),
});
const record = (name: string, pattern: string): MetricFilterRecord => ({
  account: '1', region: 'r', logGroup: '/app', name, pattern,
  transformations: [{ metricName: name, metricNamespace: 'NS', metricValue: '1' }],
  applyOnTransformedLogs: false, fieldSelectionCriteria: null, emitSystemFieldDimensions: null, createdAt: 0,
});

function store() {
  const appended: MetricPoint[][] = [];
  return { appended, append: async (p: readonly MetricPoint[]) => { appended.push([...p]); } };
}

test('the metric-filter hook applies the batch\'s group filters and appends their points once', async () => {
  const s = store();
  const asked: string[] = [];
  const hook = new MetricFilterIngestHook({
    listForGroup: async (k) => { asked.push(k.name); return k.name === '/app' ? [record('Errors', 'ERROR'), record('Broken', '{ $.x = ')] : []; },
  }, s, silentLogger);
  await hook.onIngest(batch(['ERROR a', 'ok', 'ERROR b']));
  await hook.onIngest(batch(['ERROR c'], '/no-filters'));
  assert.deepEqual(asked, ['/app', '/no-filters']);
  // The unparsable stored pattern is skipped; the other filter still publishes.
  assert.deepEqual(s.appended.map((ps) => ps.map((p) => [p.metricName, p.sum])), [[['Errors', 2]]]);
});

test('a failed append fails the hook, so the batch is not acknowledged', async () => {
  const hook = new MetricFilterIngestHook({ listForGroup: async () => [record('Errors', 'ERROR')] }, {
    append: async () => { throw new Error('overloaded'); },
  });
  await assert.rejects(hook.onIngest(batch(['ERROR'])), /overloaded/);
});

test('the EMF hook appends nothing for batches without EMF, and the points of those with', async () => {
  const s = store();
  const hook = new EmfIngestHook(s);
  await hook.onIngest(batch(['plain', '{"json":true}']));
  assert.equal(s.appended.length, 0);
  await hook.onIngest(batch([JSON.stringify({ _aws: { Timestamp: T0, CloudWatchMetrics: [{ Namespace: 'N', Dimensions: [], Metrics: [{ Name: 'M' }] }] }, M: 4 })]));
  assert.deepEqual(s.appended.map((ps) => ps.map((p) => [p.namespace, p.metricName, p.sum, p.timestamp])), [[['N', 'M', 4, T0]]]);
});
