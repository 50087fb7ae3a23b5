/**
 * GetMetricWidgetImage: a metric widget rendered to a PNG of exactly its width × height.
 * `getMetricWidgetImageHandler(data)` is added to the CloudWatch service's handler table.
 */
import type { Ctx } from '../../../protocol/service.ts';
import { required } from '../inputs.ts';
import type { WidgetDataSource } from './data-source.ts';
import { invalidWidget } from './errors.ts';
import { svgToPng } from './png.ts';
import { renderMetricWidget } from './render.ts';
import type { CallInput, CallOutput, ServiceHandlers } from '../../../protocol/operations.ts';

export async function getMetricWidgetImage(data: WidgetDataSource, ctx: Ctx, input: CallInput<'cloudwatch', 'GetMetricWidgetImage'>):
  Promise<CallOutput<'cloudwatch', 'GetMetricWidgetImage'>> {
  checkOutputFormat(input.OutputFormat);
  const { svg } = await renderMetricWidget(data, ctx, required(input.MetricWidget, 'MetricWidget'));
  return { MetricWidgetImage: svgToPng(svg) };
}

function checkOutputFormat(format: string | undefined): void {
  if (format === undefined || format === 'png') return;
  if (format === 'image/png') {
    // AWS answers image/png with a raw PNG body instead of the usual response document; the
    // protocol layer here always writes the document, so say so rather than send the wrong shape.
    throw invalidWidget('The OutputFormat image/png (a raw PNG response body) is not supported; use png.');
  }
  throw invalidWidget(`The value ${format} for parameter OutputFormat is not valid. Only png images are supported.`);
}

export function getMetricWidgetImageHandler(data: WidgetDataSource): NonNullable<ServiceHandlers<'cloudwatch'>['GetMetricWidgetImage']> {
  return (ctx, input) => getMetricWidgetImage(data, ctx, input);
}

export type { WidgetDataSource } from './data-source.ts';
export { renderMetricWidget } from './render.ts';
export { widgetQueries, type MetricDataQuery } from './metrics.ts';
