/**
 * The CloudWatch agent's JSON config (amazon-cloudwatch-agent.json), the parts Osprey's agent runs:
 * `agent`, `metrics` with the cpu, mem, swap, disk, diskio, net, netstat, processes, procstat, statsd,
 * collectd, ethtool and nvidia_gpu inputs, and `logs` with log files and EMF; plus Osprey's `container` input. Key names,
 * types and limits follow the agent's own schema (translator/config/schema.json); a key the agent
 * knows but this agent does not run yet is refused by name (see unsupported.ts) rather than ignored.
 */
import { z } from 'zod';

/** Seconds, as the agent's timeIntervalDefinition. */
const interval = z.int().min(1).max(172800);

const appendDimensions = z.record(z.string(), z.string().min(1).max(1024)).refine((o) => Object.keys(o).length <= 30, 'at most 30 dimensions');

/** A measurement: the field name (with or without the input's prefix) or {name, rename, unit}. */
export const measurementSchema = z.union([
  z.string().min(1).max(255),
  z.strictObject({ name: z.string().min(1).max(255), rename: z.string().min(1).max(255).optional(), unit: z.string().min(1).max(256).optional() }),
]);

const basic = {
  metrics_collection_interval: interval.optional(),
  append_dimensions: appendDimensions.optional(),
  measurement: z.array(measurementSchema).min(1),
};

export const inputSchemas = {
  cpu: z.strictObject({ ...basic, resources: z.array(z.literal('*')).max(1).optional(), totalcpu: z.boolean().optional() }),
  mem: z.strictObject(basic),
  swap: z.strictObject(basic),
  disk: z.strictObject({
    ...basic,
    resources: z.array(z.string().min(1).max(4096)).max(256).optional(),
    ignore_file_system_types: z.array(z.string().min(1).max(4096)).max(256).optional(),
    drop_device: z.boolean().optional(),
  }),
  netstat: z.strictObject(basic),
  processes: z.strictObject(basic),
  net: z.strictObject({ ...basic, resources: z.array(z.string().min(1).max(4096)).max(256).optional() }),
  diskio: z.strictObject({ ...basic, resources: z.array(z.string().min(1).max(4096)).max(256).optional() }),
  procstat: z.array(z.strictObject({
    metrics_collection_interval: interval.optional(),
    append_dimensions: appendDimensions.optional(),
    measurement: z.array(z.string().min(1).max(255)).min(1),
    pid_file: z.string().min(1).max(255).optional(),
    exe: z.string().min(1).max(255).optional(),
    pattern: z.string().min(1).max(255).optional(),
  }).refine((e) => e.pid_file !== undefined || e.exe !== undefined || e.pattern !== undefined, 'each procstat entry needs pid_file, exe or pattern')).min(1).max(255),
  collectd: z.strictObject({
    service_address: z.string().min(1).max(255).optional(),
    name_prefix: z.string().min(1).max(255).optional(),
    collectd_auth_file: z.string().min(1).max(4096).optional(),
    collectd_security_level: z.enum(['none', 'sign', 'encrypt']).optional(),
    collectd_typesdb: z.array(z.string().min(1).max(4096)).max(10).optional(),
    metrics_aggregation_interval: z.int().min(0).max(172800).optional(),
    append_dimensions: appendDimensions.optional(),
  }),
  ethtool: z.strictObject({
    interface_include: z.array(z.string().min(1).max(255)).optional(),
    interface_exclude: z.array(z.string().min(1).max(255)).optional(),
    metrics_include: z.array(z.string().min(1).max(255)).optional(),
    append_dimensions: appendDimensions.optional(),
  }),
  nvidia_gpu: z.strictObject({
    metrics_collection_interval: interval.optional(),
    append_dimensions: appendDimensions.optional(),
    measurement: z.array(z.string().min(1).max(255)).min(1).optional(),
  }),
  statsd: z.strictObject({
    service_address: z.string().min(1).max(255).optional(),
    metrics_collection_interval: interval.optional(),
    metrics_aggregation_interval: z.int().min(0).max(172800).optional(),
    allowed_pending_messages: z.int().min(1).max(2147483647).optional(),
    metric_separator: z.string().min(1).max(255).optional(),
  }),
} as const;

export type InputName = keyof typeof inputSchemas;

/**
 * Container Insights for plain hosts (Osprey's extension, see containers/container-insights.ts):
 * accepted under metrics_collected in either section, as the agent's own `kubernetes` and `ecs`
 * sit under logs.metrics_collected.
 */
export const containerSchema = z.strictObject({
  cluster_name: z.string().min(1).max(255).regex(/^[A-Za-z0-9_.\-/#]+$/, 'may only hold letters, digits and _ . - / #').optional(),
  metrics_collection_interval: interval.optional(),
  cgroup_root: z.string().min(1).max(4096).optional(),
  proc_root: z.string().min(1).max(4096).optional(),
  docker_root: z.string().min(1).max(4096).optional(),
  systemd_services: z.boolean().optional(),
});

export type ContainerConfig = z.infer<typeof containerSchema>;

const RETENTION_DAYS = [-1, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const collectEntrySchema = z.strictObject({
  file_path: z.string().min(1).max(4096),
  log_group_name: z.string().min(1).max(512).optional(),
  log_stream_name: z.string().min(1).max(512).optional(),
  log_group_class: z.enum(['STANDARD', 'INFREQUENT_ACCESS']).optional(),
  multi_line_start_pattern: z.string().min(1).max(4096).optional(),
  timestamp_format: z.string().min(1).max(4096).optional(),
  timezone: z.enum(['Local', 'LOCAL', 'UTC']).optional(),
  trim_timestamp: z.boolean().optional(),
  encoding: z.string().min(1).max(4096).optional(),
  auto_removal: z.boolean().optional(),
  blacklist: z.string().min(1).max(4096).optional(),
  publish_multi_logs: z.boolean().optional(),
  retention_in_days: z.union(RETENTION_DAYS.map((d) => z.literal(d))).optional(),
  filters: z.array(z.strictObject({ type: z.enum(['include', 'exclude']), expression: z.string() })).optional(),
});

export type CollectEntry = z.infer<typeof collectEntrySchema>;

const credentials = z.strictObject({ role_arn: z.string().optional(), profile: z.string().optional(), shared_credential_file: z.string().optional() });

export const configSchema = z.strictObject({
  agent: z.strictObject({
    metrics_collection_interval: interval.optional(),
    logfile: z.string().max(4096).optional(),
    region: z.string().max(64).optional(),
    debug: z.boolean().optional(),
    omit_hostname: z.boolean().optional(),
    credentials: credentials.optional(),
  }).optional(),
  metrics: z.strictObject({
    namespace: z.string().min(1).max(255).optional(),
    append_dimensions: appendDimensions.optional(),
    aggregation_dimensions: z.array(z.array(z.string().min(1).max(1024)).max(30)).min(1).max(1024).optional(),
    force_flush_interval: interval.optional(),
    credentials: credentials.optional(),
    endpoint_override: z.string().optional(),
    metrics_collected: z.strictObject({
      cpu: inputSchemas.cpu.optional(),
      mem: inputSchemas.mem.optional(),
      swap: inputSchemas.swap.optional(),
      disk: inputSchemas.disk.optional(),
      netstat: inputSchemas.netstat.optional(),
      processes: inputSchemas.processes.optional(),
      net: inputSchemas.net.optional(),
      diskio: inputSchemas.diskio.optional(),
      statsd: inputSchemas.statsd.optional(),
      procstat: inputSchemas.procstat.optional(),
      collectd: inputSchemas.collectd.optional(),
      ethtool: inputSchemas.ethtool.optional(),
      nvidia_gpu: inputSchemas.nvidia_gpu.optional(),
      // The agent's schema names the same input nvidia_smi; its docs say nvidia_gpu.
      nvidia_smi: inputSchemas.nvidia_gpu.optional(),
      container: containerSchema.optional(),
    }),
  }).optional(),
  logs: z.strictObject({
    logs_collected: z.strictObject({
      files: z.strictObject({ collect_list: z.array(collectEntrySchema).min(1).max(16384) }),
    }).optional(),
    metrics_collected: z.strictObject({
      emf: z.strictObject({ service_address: z.string().min(1).max(255).optional() }).optional(),
      container: containerSchema.optional(),
    }).optional(),
    log_stream_name: z.string().min(1).max(512).optional(),
    force_flush_interval: interval.optional(),
    credentials: credentials.optional(),
    endpoint_override: z.string().optional(),
    concurrency: z.int().min(1).optional(),
  }).optional(),
});

export type AgentConfigJson = z.infer<typeof configSchema>;
export type Measurement = z.infer<typeof measurementSchema>;
