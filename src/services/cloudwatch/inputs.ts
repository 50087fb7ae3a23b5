/**
 * From SDK-typed inputs to domain values. The SDK types spell a required member as `T | undefined`;
 * the protocol layer has already refused inputs that lack one (wire and internal calls alike), so
 * `required` only narrows — its error is what CloudWatch would answer if one ever got through.
 */
import type { Dimension, MetricDataQuery, StandardUnit } from '@aws-sdk/client-cloudwatch';
import { missing } from './errors.ts';

/** `param` may be a function so hot paths build the parameter path only for the error. */
export function required<T>(value: T | undefined, param: string | (() => string)): T {
  if (value === undefined) throw missing(typeof param === 'string' ? param : param());
  return value;
}

export interface DimensionValue { Name: string; Value: string }

export function dimensionsOf(list: readonly Dimension[], param: string): DimensionValue[] {
  return list.map((d, i) => ({ Name: required(d.Name, `${param}.member.${i + 1}.Name`), Value: required(d.Value, `${param}.member.${i + 1}.Value`) }));
}

/** A MetricDataQuery with its required members present (model member names, model order). */
export interface MetricQuery {
  Id: string;
  MetricStat?: {
    Metric: { Namespace?: string; MetricName?: string; Dimensions?: DimensionValue[] };
    Period: number;
    Stat: string;
    Unit?: StandardUnit;
  };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
  AccountId?: string;
}

/** `param` is the query's Query-protocol path, e.g. MetricDataQueries.member.1. */
export function metricQueryOf(q: MetricDataQuery, param: string): MetricQuery {
  const s = q.MetricStat;
  const metric = s === undefined ? undefined : required(s.Metric, `${param}.MetricStat.Metric`);
  return compact({
    Id: required(q.Id, `${param}.Id`),
    MetricStat: s === undefined || metric === undefined ? undefined : compact({
      Metric: compact({
        Namespace: metric.Namespace, MetricName: metric.MetricName,
        Dimensions: metric.Dimensions && dimensionsOf(metric.Dimensions, `${param}.MetricStat.Metric.Dimensions`),
      }),
      Period: required(s.Period, `${param}.MetricStat.Period`),
      Stat: required(s.Stat, `${param}.MetricStat.Stat`),
      Unit: s.Unit,
    }),
    Expression: q.Expression, Label: q.Label, ReturnData: q.ReturnData, Period: q.Period, AccountId: q.AccountId,
  });
}

/**
 * The object without its undefined members, so a record built member by member serialises and
 * spreads exactly like the input it came from (absent stays absent). Only optional members can be
 * undefined, so the type is unchanged.
 */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
