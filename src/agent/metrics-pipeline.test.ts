import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planMetrics, toDatums } from './metrics-pipeline.ts';

const facts = { hostname: 'web-1', variables: { 'aws:InstanceId': 'web-1', 'aws:ImageId': 'debian-12' } };

test('datums: host, the sample\'s tags and append_dimensions (variables filled, unknown ones left out), one copy per aggregation set', () => {
  const plan = planMetrics({
    agent: { metrics_collection_interval: 10 },
    metrics: {
      namespace: 'Hosts', aggregation_dimensions: [['InstanceId'], [], ['AutoScalingGroupName']],
      append_dimensions: { InstanceId: '${aws:InstanceId}', AutoScalingGroupName: '${aws:AutoScalingGroupName}', Team: 'ops' },
      metrics_collected: { cpu: { measurement: [{ name: 'usage_idle', rename: 'CPU_IDLE', unit: 'Percent' }] } },
    },
  }, facts);
  assert.equal(plan.namespace, 'Hosts');
  const at = new Date(1_700_000_000_000);
  const datums = toDatums(plan, plan.inputs[0]!, [{ field: 'usage_idle', value: 90, unit: 'Percent', tags: { cpu: 'cpu-total' } }, { field: 'usage_user', value: 5, unit: 'Percent', tags: {} }], at);
  assert.deepEqual(datums.map((d) => [d.MetricName, d.Dimensions!.map((x) => `${x.Name}=${x.Value}`).join(',')]), [
    ['CPU_IDLE', 'host=web-1,cpu=cpu-total,InstanceId=web-1,Team=ops'],
    ['CPU_IDLE', 'InstanceId=web-1'],
    ['CPU_IDLE', ''],
  ]);
  assert.equal(datums[0]!.StorageResolution, 1, 'an interval under 60 s is high resolution');
  assert.equal(datums[0]!.Timestamp, at);
});

test('omit_hostname drops the host dimension; the default interval is 60 s (standard resolution)', () => {
  const plan = planMetrics({ agent: { omit_hostname: true }, metrics: { metrics_collected: { mem: { measurement: ['used_percent'] } } } }, facts);
  const [d] = toDatums(plan, plan.inputs[0]!, [{ field: 'used_percent', value: 40, unit: 'Percent', tags: {} }], new Date());
  assert.deepEqual(d!.Dimensions, []);
  assert.equal(d!.StorageResolution, undefined);
  assert.equal(d!.MetricName, 'mem_used_percent');
});

test('procstat entries: one input each, pid_count published as procstat_lookup_pid_count, errors by entry path', () => {
  const plan = planMetrics({ metrics: { metrics_collected: { procstat: [{ exe: 'nginx', measurement: ['cpu_usage', 'pid_count'] }, { pattern: 'java', measurement: ['memory_rss'] }] } } }, facts);
  assert.deepEqual(plan.inputs.map((i) => [...i.metrics!.values()].map((m) => m.name)), [['procstat_cpu_usage', 'procstat_lookup_pid_count'], ['procstat_memory_rss']]);
  assert.throws(() => planMetrics({ metrics: { metrics_collected: { procstat: [{ exe: 'x', measurement: ['cpu_usage'] }, { exe: 'y', measurement: ['bogus'] }] } } }, facts),
    /Under path : \/metrics\/metrics_collected\/procstat\/1\/measurement\/0 \| Error : procstat has no measurement bogus/);
});

test('a distribution of more than 150 distinct values goes out in several datums (PutMetricData\'s limit)', () => {
  const plan = planMetrics({ metrics: { metrics_collected: { statsd: {} } } }, facts);
  const values = Array.from({ length: 400 }, (_, i) => i);
  const datums = toDatums(plan, plan.inputs[0]!, [{ field: 'latency', value: NaN, unit: 'None', tags: {}, values, counts: values.map(() => 2) }], new Date());
  assert.deepEqual(datums.map((d) => d.Values!.length), [150, 150, 100]);
  assert.equal(datums.flatMap((d) => d.Counts!).reduce((a, b) => a + b, 0), 800);
});
