/**
 * An input's `measurement` list → which fields it publishes and under what metric name and unit.
 * An entry names a field with or without the input's prefix (`cpu_usage_idle` or `usage_idle`);
 * the object form renames it and overrides the unit (a CloudWatch unit; the value is not scaled,
 * as the agent does not scale it either).
 */
import type { StandardUnit } from '@aws-sdk/client-cloudwatch';
import { asStandardUnit } from '../lib/metric-units.ts';
import type { Measurement } from './config/schema.ts';
import { AgentConfigError } from './config/load.ts';

export interface MetricSpec {
  /** The CloudWatch metric name (`cpu_usage_idle`, or the rename). */
  name: string;
  unit?: StandardUnit;
}

export function selectMeasurements(input: string, list: readonly Measurement[], known: ReadonlySet<string>, at0 = `/metrics/metrics_collected/${input}`): Map<string, MetricSpec> {
  const out = new Map<string, MetricSpec>();
  list.forEach((m, i) => {
    const raw = typeof m === 'string' ? m : m.name;
    const field = raw.startsWith(`${input}_`) ? raw.slice(input.length + 1) : raw;
    const at = `${at0}/measurement/${i}`;
    if (!known.has(field)) {
      throw new AgentConfigError([`Under path : ${at} | Error : ${input} has no measurement ${raw}; it has ${[...known].sort().join(', ')}`]);
    }
    const unitText = typeof m === 'string' ? undefined : m.unit;
    const unit = unitText === undefined ? undefined : asStandardUnit(unitText);
    if (unitText !== undefined && unit === undefined) throw new AgentConfigError([`Under path : ${at}/unit | Error : ${unitText} is not a CloudWatch unit (e.g. Percent, Bytes, Gigabytes, Count)`]);
    out.set(field, { name: (typeof m === 'string' ? undefined : m.rename) ?? `${input}_${field}`, ...(unit ? { unit } : {}) });
  });
  return out;
}
