import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import { getMetricWidgetImageHandler, renderMetricWidget, type WidgetDataSource } from './index.ts';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const ctx: Ctx = { account: '123456789012', region: 'us-east-1', principalArn: 'p', accessKeyId: 'k', requestId: 'r', clock: new ManualClock(NOW), log: silentLogger };

type Input = Parameters<WidgetDataSource['getMetricData']>[1];

/** A source that answers every returned query with a wave over the requested range, and records the calls. */
function fakeSource(opts: { empty?: boolean; labels?: Record<string, string> } = {}) {
  const calls: Input[] = [];
  const source: WidgetDataSource = {
    async getMetricData(_ctx, input) {
      calls.push(input);
      const queries = input.MetricDataQueries as { Id: string; ReturnData: boolean }[];
      return {
        MetricDataResults: queries.filter((q) => q.ReturnData).map((q, k) => {
          const n = opts.empty ? 0 : 36;
          // Newest first, as GetMetricData's default order would give them.
          const ts = Array.from({ length: n }, (_, i) => new Date(input.EndTime.getTime() - i * 300_000));
          return { Id: q.Id, Label: opts.labels?.[q.Id], Timestamps: ts, Values: ts.map((_, i) => 10 + 5 * k + 5 * Math.sin(i / 3)) };
        }),
      };
    },
  };
  return { source, calls };
}

const image = async (widget: unknown, source = fakeSource().source, OutputFormat?: string) => {
  const out = await getMetricWidgetImageHandler(source)(ctx, { MetricWidget: JSON.stringify(widget), OutputFormat }) as { MetricWidgetImage: Buffer };
  return PNG.sync.read(out.MetricWidgetImage);
};

const svgOf = async (widget: unknown, source = fakeSource().source) => (await renderMetricWidget(source, ctx, JSON.stringify(widget))).svg;

/** Pixels within a small distance of a #rrggbb color. */
function countColor(png: PNG, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    if (Math.abs(png.data[i] - r) + Math.abs(png.data[i + 1] - g) + Math.abs(png.data[i + 2] - b) < 30) n++;
  }
  return n;
}

const EC2 = ['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-1'];

test('the image is a PNG of exactly the requested size, with the series drawn in its color', async () => {
  const png = await image({ metrics: [EC2], width: 320, height: 200 });
  assert.deepEqual([png.width, png.height], [320, 200]);
  assert.ok(countColor(png, '#1f77b4') > 50, 'the first palette color is drawn');
  const corner = png.data.subarray(0, 4);
  assert.deepEqual([...corner], [255, 255, 255, 255], 'an opaque white background');
});

test('without width and height the image is 600×400, like the reference sample', async () => {
  const png = await image({ metrics: [EC2] });
  assert.deepEqual([png.width, png.height], [600, 400]);
});

test('the data source gets the translated queries over the last three hours, oldest first', async () => {
  const { source, calls } = fakeSource();
  await image({ metrics: [EC2, ['...', 'i-2', { stat: 'Maximum', id: 'two' }]], period: 60 }, source);
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0], {
    MetricDataQueries: [
      { Id: 'm0', MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: 'i-1' }] }, Period: 60, Stat: 'Average' }, ReturnData: true },
      { Id: 'two', MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'InstanceId', Value: 'i-2' }] }, Period: 60, Stat: 'Maximum' }, ReturnData: true },
    ],
    StartTime: new Date(NOW - 3 * 3_600_000),
    EndTime: new Date(NOW),
    ScanBy: 'TimestampAscending',
  });
});

test('title, legend labels (widget label, then GetMetricData label, then metric name) and annotation labels are in the SVG', async () => {
  const svg = await svgOf({
    title: 'CPU <busy> & idle',
    metrics: [[...EC2, { label: 'web-1' }], ['...', 'i-2'], ['.', 'NetworkIn', '.', 'i-3', { visible: false }], [{ expression: 'm0 + m1', id: 'sum' }]],
    annotations: { horizontal: [{ value: 12, label: 'Threshold' }], vertical: [{ value: '-PT1H', label: 'Deploy' }] },
  }, fakeSource({ labels: { sum: 'Total' } }).source);
  assert.match(svg, />CPU &lt;busy&gt; &amp; idle</);
  assert.match(svg, />web-1</);
  assert.match(svg, />CPUUtilization</);
  assert.match(svg, />Total</);
  assert.doesNotMatch(svg, />NetworkIn</, 'hidden metrics are not drawn');
  assert.match(svg, />Threshold</);
  assert.match(svg, />Deploy</);
});

test('legend position hidden removes the legend', async () => {
  const svg = await svgOf({ metrics: [[...EC2, { label: 'web-1' }]], legend: { position: 'hidden' } });
  assert.doesNotMatch(svg, />web-1</);
});

test('the time axis is labelled in UTC, or shifted by the widget timezone', async () => {
  // 09:00–12:00 UTC; with +0130 the same range reads 10:30–13:30.
  const utc = await svgOf({ metrics: [EC2] });
  assert.match(utc, />09:00</);
  assert.match(utc, />12:00</);
  assert.doesNotMatch(utc, />13:20</);
  const shifted = await svgOf({ metrics: [EC2], timezone: '+0130' });
  assert.match(shifted, />10:40</);
  assert.match(shifted, />13:20</);
  assert.doesNotMatch(shifted, />09:00</);
});

test('a range with no datapoints says so', async () => {
  const svg = await svgOf({ metrics: [EC2] }, fakeSource({ empty: true }).source);
  assert.match(svg, />No data available.</);
});

test('bar, pie and singleValue views draw the latest values; setPeriodToTimeRange asks for one period over the range', async () => {
  for (const view of ['bar', 'pie', 'singleValue']) {
    const { source, calls } = fakeSource();
    const widget = { view, metrics: [[...EC2, { label: 'web-1' }], ['...', 'i-2']], setPeriodToTimeRange: true, width: 300, height: 200 };
    const png = await image(widget, source);
    assert.deepEqual([png.width, png.height], [300, 200], view);
    assert.equal((calls[0].MetricDataQueries[0] as { MetricStat: { Period: number } }).MetricStat.Period, 10800, view);
    const svg = await svgOf(widget);
    assert.match(svg, />web-1</, view);
  }
  assert.match(await svgOf({ view: 'singleValue', metrics: [EC2] }), />10</);
});

test('OutputFormat is png (the default); anything else is InvalidParameterValue', async () => {
  await image({ metrics: [EC2] }, undefined, 'png');
  for (const [format, message] of [['jpeg', /Only png images are supported/], ['image/png', /image\/png .* not supported; use png/]] as const) {
    await assert.rejects(image({ metrics: [EC2] }, undefined, format), (e: unknown) =>
      e instanceof ServiceError && e.code === 'InvalidParameterValue' && e.status === 400 && message.test(e.message));
  }
});

test('a MetricWidget that is not valid is InvalidParameterValue and queries nothing', async () => {
  const { source, calls } = fakeSource();
  const h = getMetricWidgetImageHandler(source);
  for (const MetricWidget of ['{"metrics": [', '{"metrics": []}', '{"metrics": [["AWS/EC2"]]}', '{"metrics": [["A","B"]], "view": "gauge"}', '{"metrics": [["A","B"]], "start": "-PT1H", "end": "-PT2H"}']) {
    await assert.rejects(Promise.resolve(h(ctx, { MetricWidget })), (e: unknown) =>
      e instanceof ServiceError && e.code === 'InvalidParameterValue' && e.status === 400, MetricWidget);
  }
  assert.equal(calls.length, 0);
});

test('four same-named metrics get four legend entries and pie slices labelled with their instance, in four colors', async () => {
  const metrics = [EC2, ['...', 'i-2'], ['...', 'i-3'], ['...', 'i-4']];
  const svg = await svgOf({ metrics, width: 800 });
  for (const i of [1, 2, 3, 4]) assert.equal(svg.split(`>CPUUtilization i-${i}<`).length - 1, 1, `one legend entry for i-${i}`);
  const pie = await svgOf({ view: 'pie', metrics, width: 800, legend: { position: 'hidden' } });
  for (const i of [1, 2, 3, 4]) assert.match(pie, new RegExp(`>CPUUtilization i-${i}: \\d+(\\.\\d+)?%<`), `slice label for i-${i}`);
  const png = await image({ metrics, width: 400, height: 240 });
  for (const color of ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728']) assert.ok(countColor(png, color) > 30, color);
});

test('every series an expression returns is drawn under its own label', async () => {
  const source: WidgetDataSource = {
    async getMetricData(_ctx, input) {
      return { MetricDataResults: ['a', 'b', 'c'].map((label, k) => ({ Id: 'e1', Label: label, Timestamps: [input.EndTime], Values: [k] })) };
    },
  };
  const svg = await svgOf({ metrics: [[{ expression: "SEARCH('{AWS/EC2,InstanceId} CPUUtilization', 'Average')", id: 'e1' }]] }, source);
  for (const label of ['a', 'b', 'c']) assert.match(svg, new RegExp(`>${label}<`));
});
