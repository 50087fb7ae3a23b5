// Timelines drawn as bars on lanes (CloudTrail Insights, Health incidents): the renderItem of an
// ECharts custom series whose data values are [lane index, start, end].
import * as echarts from 'echarts/core';
import { CustomChart } from 'echarts/charts';
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams } from 'echarts';

echarts.use([CustomChart]);

export function renderLaneBar(params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) {
  const lane = api.value(0) as number;
  const from = api.coord([api.value(1), lane]);
  const to = api.coord([api.value(2), lane]);
  const height = (api.size?.([0, 1]) as number[])[1] * 0.5;
  const coords = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
  // At least 3 px wide, so a one-minute bar on a 90-day axis can still be seen and clicked.
  const shape = echarts.graphic.clipRectByRect(
    { x: from[0], y: from[1] - height / 2, width: Math.max(to[0] - from[0], 3), height },
    { x: coords.x, y: coords.y, width: coords.width, height: coords.height },
  );
  return shape && { type: 'rect', shape, style: api.style() };
}
