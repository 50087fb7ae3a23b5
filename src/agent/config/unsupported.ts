/**
 * Parts of the CloudWatch agent's config that are valid for the agent but not run by Osprey's agent
 * yet (issue 19 is being built in steps): refused by key path with what to do, never ignored.
 */

const LATER = 'is not supported by this version of the Osprey agent; remove it to run the rest';

const SECTIONS: Record<string, string> = {
  logs: 'log file collection',
  traces: 'trace collection',
  opentelemetry: 'the OpenTelemetry pipeline',
};

const INPUTS = ['collectd', 'diskio', 'efa', 'statsd', 'net', 'procstat', 'ethtool', 'nvidia_gpu', 'nvidia_smi', 'jmx', 'otlp', 'prometheus'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The problems, and the config without those keys (so the rest is still checked). */
export function withoutUnsupported(json: unknown): { problems: string[]; rest: unknown } {
  const problems = unsupportedKeys(json);
  if (!isObject(json) || problems.length === 0) return { problems, rest: json };
  const rest: Record<string, unknown> = { ...json };
  for (const k of Object.keys(SECTIONS)) delete rest[k];
  if (isObject(json.metrics)) {
    const metrics: Record<string, unknown> = { ...json.metrics };
    delete metrics.metrics_destinations;
    if (isObject(metrics.metrics_collected)) {
      const collected: Record<string, unknown> = { ...metrics.metrics_collected };
      for (const k of INPUTS) delete collected[k];
      metrics.metrics_collected = collected;
    }
    rest.metrics = metrics;
  }
  return { problems, rest };
}

function unsupportedKeys(json: unknown): string[] {
  if (!isObject(json)) return [];
  const out: string[] = [];
  for (const [k, what] of Object.entries(SECTIONS)) if (k in json) out.push(`Under path : /${k} | Error : ${what} ${LATER}`);
  const collected = isObject(json.metrics) ? json.metrics.metrics_collected : undefined;
  if (isObject(collected)) {
    for (const k of INPUTS) if (k in collected) out.push(`Under path : /metrics/metrics_collected/${k} | Error : the ${k} input ${LATER}`);
  }
  if (isObject(json.metrics) && 'metrics_destinations' in json.metrics) out.push(`Under path : /metrics/metrics_destinations | Error : metrics destinations other than CloudWatch ${LATER}`);
  return out;
}
