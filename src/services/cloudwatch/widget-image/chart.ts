/**
 * The frame every view shares (white background, title, legend, "No data available.") and the
 * server-side SVG render with ECharts. Only the chart types and components used are registered.
 */
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GraphicComponent, GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TitleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';
import { latest, type ChartInput } from './series.ts';
import { barOption, pieOption, singleValueOption } from './summary-views.ts';
import { timeSeriesOption } from './time-series.ts';

echarts.use([LineChart, BarChart, PieChart, GridComponent, TitleComponent, LegendComponent, MarkLineComponent, MarkAreaComponent, GraphicComponent, SVGRenderer]);

/** ECharts writes this generic family into the SVG; png.ts tells resvg which installed font it means. */
const FONT = 'sans-serif';
/** A bottom legend's band, in pixels. */
const LEGEND_HEIGHT = 26;

export function chartOption(input: ChartInput): EChartsOption {
  const { spec, series } = input;
  const view = spec.view === 'timeSeries' ? timeSeriesOption(input)
    : spec.view === 'bar' ? barOption(input)
    : spec.view === 'pie' ? pieOption(input)
    : singleValueOption(input);
  const hasTitle = spec.title !== undefined && spec.title !== '';
  const legendShown = spec.legend !== 'hidden' && spec.view !== 'singleValue' && series.length > 0;
  const legendRight = legendShown && spec.legend === 'right';
  const legendBottom = legendShown && spec.legend === 'bottom';
  const legendWidth = Math.min(200, Math.round(spec.width * 0.3));
  const noData = series.every((s) => (spec.view === 'timeSeries' ? s.points.length === 0 : latest(s) === undefined));

  return {
    animation: false,
    useUTC: true,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT },
    title: hasTitle ? { text: spec.title, left: 8, top: 6, textStyle: { fontSize: 14, fontWeight: 'bold', color: '#16191f' } } : { show: false },
    legend: legendShown
      ? {
        show: true,
        // A right-hand legend pages rather than spilling over the plot when there are many series.
        type: legendRight ? 'scroll' : 'plain',
        data: series.map((s) => s.name),
        icon: 'rect',
        itemWidth: 10,
        itemHeight: 10,
        // ECharts estimates text widths without a canvas; DejaVu runs wider, so leave extra room.
        itemGap: 14,
        textStyle: { color: '#16191f', fontSize: 11 },
        ...(legendRight ? { orient: 'vertical', right: 8, top: hasTitle ? 36 : 12, width: legendWidth - 8 } : { orient: 'horizontal', left: 8, bottom: 6 }),
      }
      : { show: false },
    // The grid leaves room for title and legend; outerBounds keeps axis labels clear of the legend.
    grid: {
      left: 8,
      right: legendRight ? legendWidth + 8 : spec.view === 'bar' ? 40 : 16,
      top: hasTitle ? 40 : 16,
      bottom: legendBottom ? LEGEND_HEIGHT + 4 : 4,
      outerBounds: { left: 0, top: 0, right: legendRight ? legendWidth : 0, bottom: legendBottom ? LEGEND_HEIGHT : 0 },
    },
    ...view,
    graphic: [
      ...asArray(view.graphic),
      ...(noData && spec.view !== 'singleValue'
        ? [{ type: 'text' as const, left: 'center', top: 'middle', style: { text: 'No data available.', fill: '#545b64', fontSize: 13 } }]
        : []),
    ],
  };
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function renderSvg(option: EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
