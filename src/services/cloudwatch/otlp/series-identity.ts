/**
 * Where an OTLP data point lands in CloudWatch: the namespace from the resource (as the AWS
 * Distro for OpenTelemetry's EMF exporter derives it: `service.namespace/service.name`, else
 * whichever of the two is set, else `default`), the metric's name, and one dimension per data
 * point attribute. Resource attributes are not dimensions (host and instance ids would make every
 * process its own series). Names and values CloudWatch would refuse make the point a rejected one.
 */
import type { Attributes } from '../../../protocol/otlp/types.ts';
import { plainValue } from '../../../protocol/otlp/values.ts';
import { PUT_LIMITS } from '../put-metric-data.ts';

export const DEFAULT_NAMESPACE = 'default';

export function namespaceOf(resource: Attributes): string {
  const name = stringAttr(resource['service.name']);
  const ns = stringAttr(resource['service.namespace']);
  if (name && ns) return `${ns}/${name}`;
  return name ?? ns ?? DEFAULT_NAMESPACE;
}

/** Why CloudWatch would refuse this namespace, or undefined. */
export function namespaceProblem(namespace: string): string | undefined {
  if (namespace.length > 255) return `the namespace ${JSON.stringify(namespace.slice(0, 40))}… is longer than 255 characters`;
  if (namespace.startsWith(':')) return `the namespace ${JSON.stringify(namespace)} starts with ":"`;
  if (namespace.startsWith('AWS/')) return `the namespace ${JSON.stringify(namespace)} is reserved for AWS services`;
  return undefined;
}

export function metricNameProblem(name: string): string | undefined {
  if (name === '') return 'a metric has no name';
  if (name.length > 255) return `the metric name ${JSON.stringify(name.slice(0, 40))}… is longer than 255 characters`;
  return undefined;
}

/** The point's attributes as dimensions, or why CloudWatch could not take them. */
export function dimensionsOf(attrs: Attributes): { dimensions: Record<string, string> } | { problem: string } {
  const entries: [string, string][] = [];
  const keys = Object.keys(attrs);
  if (keys.length > PUT_LIMITS.dimensionsPerMetric) {
    return { problem: `a data point has ${keys.length} attributes; CloudWatch takes at most ${PUT_LIMITS.dimensionsPerMetric} dimensions` };
  }
  for (const k of keys.sort()) {
    const v = attrs[k]!;
    const value = typeof v === 'string' ? v : JSON.stringify(plainValue(v));
    if (k === '' || k.length > 255) return { problem: `the attribute name ${JSON.stringify(k.slice(0, 40))} is not a valid dimension name (1-255 characters)` };
    if (value === '' || value.length > 1024) return { problem: `the value of attribute ${JSON.stringify(k)} is not a valid dimension value (1-1024 characters)` };
    entries.push([k, value]);
  }
  // fromEntries defines own properties: an attribute named `__proto__` is a dimension like any other.
  return { dimensions: Object.fromEntries(entries) };
}

function stringAttr(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
