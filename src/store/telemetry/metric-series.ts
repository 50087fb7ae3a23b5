/**
 * The identity of a metric series, shared by the writer (metric-points.ts), the reader
 * (metric-reader.ts) and the read cache (metric-read-cache.ts). A leaf module: those three depend on
 * it and on nothing of each other's implementation.
 */

/** Dimensions sorted by name: the canonical form stored and compared. */
export function canonicalDimensions(d: Readonly<Record<string, string>>): [string, string][] {
  const entries = Object.entries(d);
  return entries.length < 2 ? entries : entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The identity of a series for versioning: everything but the unit. */
export function seriesVersionKey(account: string, region: string, namespace: string, metricName: string,
  canonicalDims: readonly (readonly [string, string])[]): string {
  return JSON.stringify([account, region, namespace, metricName, canonicalDims]);
}

/** The identity of a metric (all its series) for versioning. Never equal to a series key. */
export function metricVersionKey(account: string, region: string, namespace: string, metricName: string): string {
  return JSON.stringify([account, region, namespace, metricName]);
}
