/**
 * The metrics side of the agent: each configured input read on its own interval (aligned to the
 * clock, as the agent aligns collection), its samples turned into datums of the config's namespace
 * (default CWAgent) with the `host` dimension, the sample's tags and the append_dimensions, plus a
 * copy per aggregation_dimensions set the datum has; sent every force_flush_interval (default 60 s)
 * or as soon as 1,000 datums wait. An interval under 60 s publishes high-resolution metrics.
 */
import type { Dimension, MetricDatum } from '@aws-sdk/client-cloudwatch';
import { silentLogger, type Logger } from '../lib/logger.ts';
import type { AgentConfigJson, InputName } from './config/schema.ts';
import { resolveDimensions, type HostFacts } from './host-facts.ts';
import { INPUT_FIELDS, makeInput, type HostInputName } from './inputs/index.ts';
import { StatsdInput } from './inputs/statsd.ts';
import { ethtoolInput } from './inputs/ethtool.ts';
import { CollectdInput, DEFAULT_COLLECTD_ADDRESS, parseServiceAddress } from './inputs/collectd.ts';
import { readAuthFile } from './inputs/collectd/security.ts';
import { loadTypesDb } from './inputs/collectd/types-db.ts';
import { AgentConfigError } from './config/load.ts';
import { existsSync } from 'node:fs';
import { NVIDIA_GPU_FIELDS, nvidiaGpuInput } from './inputs/nvidia-gpu.ts';
import { PROCSTAT_FIELDS, procstatInput } from './inputs/procstat.ts';
import type { CommandInput, HostInput, ProcPaths, Sample } from './inputs/types.ts';
import { selectMeasurements, type MetricSpec } from './measurements.ts';
import { MAX_DATUMS_PER_CALL, type MetricPublisher } from './metric-publisher.ts';

export const DEFAULT_NAMESPACE = 'CWAgent';
const DEFAULT_INTERVAL_S = 60;
const DEFAULT_FLUSH_S = 60;
const DEFAULT_TYPES_DB = '/usr/share/collectd/types.db';

interface InputPlan {
  name: InputName;
  source: HostInput | CommandInput;
  /** Which fields, under what names; undefined: every sample, named by its field (StatsD). */
  metrics: Map<string, MetricSpec> | undefined;
  intervalS: number;
  dimensions: Record<string, string>;
}

export interface MetricsPlan {
  namespace: string;
  flushS: number;
  inputs: InputPlan[];
  aggregation: string[][];
  hostDimension: string | undefined;
}

type CollectdConfig = NonNullable<NonNullable<AgentConfigJson['metrics']>['metrics_collected']['collectd']>;

/** collectd's listener, with the agent's defaults (encrypt, its auth file and types.db paths). */
function collectdPlan(c: CollectdConfig, global: Record<string, string>, facts: HostFacts, log: Logger): InputPlan {
  const at = '/metrics/metrics_collected/collectd';
  const address = c.service_address ?? DEFAULT_COLLECTD_ADDRESS;
  try {
    parseServiceAddress(address);
  } catch (e) {
    throw new AgentConfigError([`Under path : ${at}/service_address | Error : ${(e as Error).message}`]);
  }
  let typesDb;
  try {
    typesDb = loadTypesDb(c.collectd_typesdb ?? (existsSync(DEFAULT_TYPES_DB) ? [DEFAULT_TYPES_DB] : []));
  } catch (e) {
    throw new AgentConfigError([`Under path : ${at}/collectd_typesdb | Error : ${(e as Error).message}`]);
  }
  const source = new CollectdInput({
    serviceAddress: address, namePrefix: c.name_prefix ?? 'collectd_', securityLevel: c.collectd_security_level ?? 'encrypt',
    users: readAuthFile(c.collectd_auth_file ?? '/etc/collectd/auth_file'), typesDb,
  }, log);
  // The agent's default aggregation interval is 60 s; 0 sends each reading as it comes (every 1 s here).
  const intervalS = c.metrics_aggregation_interval === undefined ? 60 : Math.max(1, c.metrics_aggregation_interval);
  return { name: 'collectd', source, metrics: undefined, intervalS, dimensions: { ...global, ...resolveDimensions(c.append_dimensions, facts) } };
}

/** ethtool and nvidia_gpu (or its schema name nvidia_smi), which run a host tool each reading. */
function commandInputs(cfg: AgentConfigJson, facts: HostFacts, global: Record<string, string>, log: Logger): InputPlan[] {
  const m = cfg.metrics!.metrics_collected;
  const interval = cfg.agent?.metrics_collection_interval ?? DEFAULT_INTERVAL_S;
  const out: InputPlan[] = [];
  if (m.ethtool) {
    const e = m.ethtool;
    // Statistics are the driver's own, so they are named as they come: ethtool_<stat>.
    const source = ethtoolInput({ interfaceInclude: e.interface_include, interfaceExclude: e.interface_exclude, metricsInclude: e.metrics_include }, log);
    const metrics = { collect: async () => (await source.collect()).map((s) => ({ ...s, field: `ethtool_${s.field}` })) };
    out.push({ name: 'ethtool', source: metrics, metrics: undefined, intervalS: interval, dimensions: { ...global, ...resolveDimensions(e.append_dimensions, facts) } });
  }
  const [gpuKey, gpu] = m.nvidia_gpu ? ['nvidia_gpu', m.nvidia_gpu] as const : ['nvidia_smi', m.nvidia_smi] as const;
  if (gpu) {
    const list = gpu.measurement ?? [...NVIDIA_GPU_FIELDS];
    out.push({
      name: 'nvidia_gpu', source: nvidiaGpuInput(log), metrics: selectMeasurements('nvidia_smi', list, NVIDIA_GPU_FIELDS, `/metrics/metrics_collected/${gpuKey}`),
      intervalS: gpu.metrics_collection_interval ?? interval, dimensions: { ...global, ...resolveDimensions(gpu.append_dimensions, facts) },
    });
  }
  return out;
}

export function planMetrics(cfg: AgentConfigJson, facts: HostFacts, paths?: ProcPaths, log: Logger = silentLogger): MetricsPlan {
  const m = cfg.metrics!;
  const global = resolveDimensions(m.append_dimensions, facts);
  const inputs: InputPlan[] = [];
  const statsd = m.metrics_collected.statsd;
  if (statsd) {
    // StatsD names its own metrics; the agent's default interval for it is 10 s.
    inputs.push({ name: 'statsd', source: new StatsdInput(statsd.service_address ?? ':8125', log, statsd.metric_separator), metrics: undefined, intervalS: statsd.metrics_collection_interval ?? 10, dimensions: global });
  }
  if (m.metrics_collected.collectd) inputs.push(collectdPlan(m.metrics_collected.collectd, global, facts, log));
  (m.metrics_collected.procstat ?? []).forEach((e, j) => {
    const metrics = selectMeasurements('procstat', e.measurement, PROCSTAT_FIELDS, `/metrics/metrics_collected/procstat/${j}`);
    // The agent publishes the lookup's count as procstat_lookup_pid_count.
    const count = metrics.get('pid_count');
    if (count && count.name === 'procstat_pid_count') count.name = 'procstat_lookup_pid_count';
    inputs.push({
      name: 'procstat', source: procstatInput(e, paths), metrics,
      intervalS: e.metrics_collection_interval ?? cfg.agent?.metrics_collection_interval ?? DEFAULT_INTERVAL_S,
      dimensions: { ...global, ...resolveDimensions(e.append_dimensions, facts) },
    });
  });
  inputs.push(...commandInputs(cfg, facts, global, log));
  for (const name of Object.keys(INPUT_FIELDS) as HostInputName[]) {
    const c = m.metrics_collected[name];
    if (!c) continue;
    inputs.push({
      name, source: makeInput(name, c, paths), metrics: selectMeasurements(name, c.measurement, INPUT_FIELDS[name]),
      intervalS: c.metrics_collection_interval ?? cfg.agent?.metrics_collection_interval ?? DEFAULT_INTERVAL_S,
      dimensions: { ...global, ...resolveDimensions(c.append_dimensions, facts) },
    });
  }
  return {
    namespace: m.namespace ?? DEFAULT_NAMESPACE, flushS: m.force_flush_interval ?? DEFAULT_FLUSH_S, inputs,
    aggregation: m.aggregation_dimensions ?? [], hostDimension: cfg.agent?.omit_hostname ? undefined : facts.hostname,
  };
}

/** PutMetricData takes at most 150 distinct values per datum: a larger distribution goes in several. */
const MAX_VALUES_PER_DATUM = 150;

function datumValues(s: Sample): Pick<MetricDatum, 'Value' | 'Values' | 'Counts'>[] {
  if (!s.values) return [{ Value: s.value }];
  const out: Pick<MetricDatum, 'Value' | 'Values' | 'Counts'>[] = [];
  for (let i = 0; i < s.values.length; i += MAX_VALUES_PER_DATUM) {
    out.push({ Values: s.values.slice(i, i + MAX_VALUES_PER_DATUM), Counts: s.counts?.slice(i, i + MAX_VALUES_PER_DATUM) });
  }
  return out;
}

/** One input reading → datums (and their aggregation copies). */
export function toDatums(plan: MetricsPlan, input: InputPlan, samples: readonly Sample[], at: Date): MetricDatum[] {
  const out: MetricDatum[] = [];
  const resolution = input.intervalS < 60 ? { StorageResolution: 1 } : {};
  for (const s of samples) {
    const spec = input.metrics ? input.metrics.get(s.field) : { name: s.field };
    if (!spec || (!s.values && !Number.isFinite(s.value))) continue;
    const dims: Record<string, string> = { ...(plan.hostDimension ? { host: plan.hostDimension } : {}), ...s.tags, ...input.dimensions };
    for (const value of datumValues(s)) {
      const datum = (d: Record<string, string>): MetricDatum => ({
        MetricName: spec.name, Dimensions: Object.entries(d).map(([Name, Value]): Dimension => ({ Name, Value })),
        Timestamp: at, ...value, Unit: spec.unit ?? s.unit, ...resolution,
      });
      out.push(datum(dims));
      for (const set of plan.aggregation) {
        if (set.every((k) => k in dims)) out.push(datum(Object.fromEntries(set.map((k) => [k, dims[k]!]))));
      }
    }
  }
  return out;
}

export class MetricsPipeline {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly plan: MetricsPlan, private readonly publisher: MetricPublisher, private readonly log: Logger) {}

  /** Binds listening inputs (a busy port fails here), then starts reading on each input's interval. */
  async start(): Promise<void> {
    for (const input of this.plan.inputs) await input.source.start?.();
    for (const input of this.plan.inputs) this.schedule(input);
    const flush = setInterval(() => void this.publisher.flush(), this.plan.flushS * 1000);
    this.timers.add(flush);
  }

  /** Stops collecting and sends what is queued (one attempt). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const input of this.plan.inputs) {
      await this.collectNow(input);
      input.source.close?.();
    }
    await this.publisher.flush();
  }

  private schedule(input: InputPlan): void {
    if (this.stopped) return;
    const ms = input.intervalS * 1000;
    const next = Math.ceil((Date.now() + 1) / ms) * ms;
    const t = setTimeout(() => {
      this.timers.delete(t);
      void this.collect(input, new Date(next));
      this.schedule(input);
    }, next - Date.now());
    this.timers.add(t);
  }

  /** A listening input's last values (what arrived since its last reading) go out on stop. */
  private async collectNow(input: InputPlan): Promise<void> {
    if (input.source.start) await this.collect(input, new Date());
  }

  private async collect(input: InputPlan, at: Date): Promise<void> {
    let samples: Sample[];
    try {
      samples = await input.source.collect();
    } catch (e) {
      this.log.warn({ input: input.name, err: (e as Error).message }, 'input failed to read the host');
      return;
    }
    this.publisher.add(this.plan.namespace, toDatums(this.plan, input, samples, at));
    if (this.publisher.pending >= MAX_DATUMS_PER_CALL) void this.publisher.flush();
  }
}
