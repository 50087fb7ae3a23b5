/** PutAnomalyDetector, DescribeAnomalyDetectors, DeleteAnomalyDetector. */
import { ServiceError } from '../../../protocol/errors.ts';
import type { ServiceHandlers } from '../../../protocol/operations.ts';
import { invalidValue } from '../errors.ts';
import { dimensionsOf } from '../inputs.ts';
import { decodeOffset, encodeOffset } from '../offset-token.ts';
import { detectorConfigOf, detectorKey, detectorMetricOf, detectorShape } from './detector.ts';
import type { AnomalyModels } from './models.ts';
import type { AnomalyStore } from './repo.ts';

const MAX_RESULTS = 100;

type Handlers = Pick<ServiceHandlers<'cloudwatch'>, 'PutAnomalyDetector' | 'DescribeAnomalyDetectors' | 'DeleteAnomalyDetector'>;

export function anomalyHandlers(models: AnomalyModels, repo: AnomalyStore): Handlers {
  return {
    PutAnomalyDetector: async (ctx, input) => {
      const metric = detectorMetricOf(input, ctx.account);
      await models.put(ctx, metric, detectorConfigOf(input));
      return {};
    },
    DeleteAnomalyDetector: async (ctx, input) => {
      const metric = detectorMetricOf(input, ctx.account);
      if (!(await models.delete(ctx, metric))) {
        throw new ServiceError('ResourceNotFoundException', 'No anomaly detection model exists for the specified metric or metric math expression.');
      }
      return {};
    },
    DescribeAnomalyDetectors: async (ctx, input) => {
      const max = input.MaxResults ?? MAX_RESULTS;
      if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS) {
        throw invalidValue(`The value ${max} for parameter MaxResults is invalid: it must be between 1 and ${MAX_RESULTS}.`);
      }
      const types = input.AnomalyDetectorTypes ?? ['SINGLE_METRIC'];
      for (const t of types) if (t !== 'SINGLE_METRIC' && t !== 'METRIC_MATH') throw invalidValue(`The value ${t} for parameter AnomalyDetectorTypes is invalid.`);
      const dims = dimensionsOf(input.Dimensions ?? [], 'Dimensions');
      const found = (await repo.list(ctx)).filter(({ metric: m }) => {
        if (!types.includes(m.type)) return false;
        if (input.Namespace === undefined && input.MetricName === undefined && dims.length === 0) return true;
        if (m.type !== 'SINGLE_METRIC') return false;
        return (input.Namespace === undefined || m.namespace === input.Namespace)
          && (input.MetricName === undefined || m.metricName === input.MetricName)
          && dims.every((d) => m.dimensions.some((x) => x.Name === d.Name && x.Value === d.Value));
      });
      const offset = input.NextToken === undefined ? 0 : decodeOffset(input.NextToken);
      const page = found.slice(offset, offset + max);
      return {
        AnomalyDetectors: await Promise.all(page.map(async (d) => detectorShape(d.metric, d.config, await models.state(ctx, detectorKey(d.metric))))),
        ...(offset + max < found.length ? { NextToken: encodeOffset(offset + max) } : {}),
      };
    },
  };
}
