/**
 * Parts of the CloudWatch agent's config that are valid for the agent but not run by Osprey's agent
 * yet (issue 19 is being built in steps): refused by key path with what to do, never ignored.
 */

const LATER = 'is not supported by this version of the Osprey agent; remove it to run the rest';

const SECTIONS: Record<string, string> = {
  traces: 'trace collection',
  opentelemetry: 'the OpenTelemetry pipeline',
};

const INPUTS = ['efa', 'jmx', 'otlp', 'prometheus'];

/** What logs.metrics_collected may hold here: EMF, and Osprey's container input; `kubernetes`, `ecs`, `prometheus` are refused. */
const LOG_INPUTS_RUN = ['emf', 'container'];

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
  if (isObject(json.logs)) {
    const logs: Record<string, unknown> = { ...json.logs };
    if (isObject(logs.metrics_collected)) {
      const kept = Object.fromEntries(Object.entries(logs.metrics_collected).filter(([k]) => LOG_INPUTS_RUN.includes(k)));
      if (Object.keys(kept).length > 0) logs.metrics_collected = kept;
      else delete logs.metrics_collected;
    }
    if (isObject(logs.logs_collected)) {
      const collected: Record<string, unknown> = { ...logs.logs_collected };
      for (const k of ['windows_events', 'journald', 'application_signals']) delete collected[k];
      logs.logs_collected = collected;
    }
    rest.logs = logs;
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
  const logsCollected = isObject(json.logs) ? json.logs.logs_collected : undefined;
  if (isObject(logsCollected)) {
    for (const k of ['windows_events', 'journald', 'application_signals']) if (k in logsCollected) out.push(`Under path : /logs/logs_collected/${k} | Error : ${k} ${LATER}`);
  }
  const logMetrics = isObject(json.logs) ? json.logs.metrics_collected : undefined;
  if (isObject(logMetrics)) {
    for (const k of Object.keys(logMetrics)) if (!LOG_INPUTS_RUN.includes(k)) out.push(`Under path : /logs/metrics_collected/${k} | Error : ${k} ${LATER}`);
  }
  if (isObject(json.metrics) && 'metrics_destinations' in json.metrics) out.push(`Under path : /metrics/metrics_destinations | Error : metrics destinations other than CloudWatch ${LATER}`);
  return out;
}
