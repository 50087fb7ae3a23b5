/**
 * Views that show one number per series (the latest datapoint, or the whole range's value with
 * setPeriodToTimeRange): horizontal bars, a pie, or the numbers themselves (singleValue).
 */
import type { EChartsOption } from 'echarts';
import { formatValue, latest, type ChartInput } from './series.ts';

export function barOption(input: ChartInput): EChartsOption {
  // One series per metric on a single category, so the legend and colors work as for lines.
  return {
    xAxis: { type: 'value', min: input.spec.yAxis.left.min, max: input.spec.yAxis.left.max, splitLine: { lineStyle: { color: '#e9ebed' } } },
    yAxis: { type: 'category', data: [''], axisTick: { show: false } },
    series: input.series.map((s) => ({
      type: 'bar' as const,
      name: s.name,
      color: s.color,
      data: [latest(s) ?? 0],
      barMaxWidth: 32,
      label: { show: true, position: 'right' as const, formatter: (p: { value: unknown }) => formatValue(Number(p.value)) },
    })),
  };
}

export function pieOption(input: ChartInput): EChartsOption {
  // Every series keeps a slice (0 without a positive value) so each legend entry has its match.
  const rows = input.series.map((s) => ({ name: s.name, value: Math.max(0, latest(s) ?? 0), itemStyle: { color: s.color } }));
  return {
    series: [{
      type: 'pie',
      name: 'values',
      radius: ['0%', '62%'],
      // All-zero values would otherwise draw as one full, meaningless circle.
      stillShowZeroSum: false,
      // Leave the right-hand side to the legend when it is there.
      center: [input.spec.legend === 'right' ? '45%' : '50%', '50%'],
      data: rows,
      label: { formatter: '{b}: {d}%' },
    }],
  };
}

export function singleValueOption(input: ChartInput): EChartsOption {
  const { series, spec } = input;
  const top = spec.title ? 36 : 8;
  const cols = Math.max(1, Math.min(series.length, 4));
  const rows = Math.ceil(series.length / cols) || 1;
  const cellW = spec.width / cols;
  const cellH = (spec.height - top) / rows;
  const size = Math.max(10, Math.min(48, cellH * 0.4, cellW / 5));
  return {
    graphic: series.flatMap((s, i) => {
      const x = (i % cols) * cellW + cellW / 2;
      const y = top + Math.floor(i / cols) * cellH + cellH / 2;
      const v = latest(s);
      return [
        { type: 'text', x, y: y - size * 0.9, style: { text: s.name, fill: '#545b64', fontSize: Math.max(10, size * 0.3), align: 'center', verticalAlign: 'middle' } },
        { type: 'text', x, y, style: { text: v === undefined ? '—' : formatValue(v), fill: s.color, fontSize: size, align: 'center', verticalAlign: 'middle' } },
      ];
    }),
  };
}
