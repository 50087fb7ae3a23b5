import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import YAML from 'yaml';
import { checkExportConfig, type ExportConfig } from './bucket-map.ts';

export interface AccessKeyConfig {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  /** Defaults to arn:aws:iam::<accountId>:root */
  principalArn?: string;
}

export type TelemetryConfig =
  | { kind: 'chdb' }
  | { kind: 'clickhouse'; url: string; username?: string; password?: string; database?: string };

export interface OspreyConfig {
  host: string;
  port: number;
  dataDir: string;
  logLevel: string;
  /**
   * Where metadata lives: empty = SQLite in `<data>/meta.sqlite`; `postgres://…` = a PostgreSQL
   * database several Osprey nodes can share.
   */
  metadata: { url: string };
  /**
   * How long a node's lease on cluster-wide background work (alarm evaluation…) lasts without
   * renewal: a dead node's work moves to another node within this time. Renewed every third of it.
   */
  leaseMs: number;
  /** fsync every telemetry insert and SQLite commit: survives power loss, ~10-15 % slower ingest. */
  fsync: boolean;
  /** Empty = the dev key test/test (account 000000000000), allowed only on loopback. */
  accessKeys: AccessKeyConfig[];
  /** Max allowed difference between a request's X-Amz-Date and the server clock. */
  maxClockSkewSeconds: number;
  /** Largest request body accepted (bytes, before and after gunzip). */
  maxBodyBytes: number;
  telemetry: TelemetryConfig;
  /** How often the retention job deletes expired log events. */
  retentionIntervalMs: number;
  /** TCP+UDP port of the CloudWatch-agent-compatible EMF listener (25888 like the agent; 0 = any free port). */
  emfPort: number;
  /** Region whose log groups the EMF listener writes to (EMF documents carry no credentials). */
  emfRegion: string;
  /** UDP port of the built-in X-Ray daemon (segments; 2000 like the daemon; 0 = any free port). */
  xrayUdpPort: number;
  /** TCP port of the built-in X-Ray daemon (the SDKs' sampling calls; 2000; 0 = any free port). */
  xrayTcpPort: number;
  /** Region the X-Ray daemon's segments and sampling calls go to (the daemon's AWS_REGION). */
  xrayRegion: string;
  /** Days trace data is kept (X-Ray keeps 30). */
  xrayRetentionDays: number;
  /**
   * Seconds after which a trace's documents are settled into stored service-graph rows (10);
   * GetServiceGraph works out newer traces from their documents. Documents arriving later settle
   * the trace again. With several nodes on one ClickHouse server it must cover their insert latency.
   */
  xrayGraphSettleSeconds: number;
  /**
   * With the embedded metadata store, SQS messages live in memory and a journal (`<data>/wal/sqs`);
   * every this many milliseconds (1000) what changed is checkpointed into SQLite and the journal
   * behind it deleted. Longer: fewer SQLite writes, a longer replay after a crash.
   */
  sqsCheckpointMs: number;
  /** Anomaly detection models older than this are refitted by the background job (seconds; 900). */
  anomalyRetrainSeconds: number;
  /** Chromium that canaries drive ('' = the first of chromium, chromium-browser, google-chrome found on PATH). */
  syntheticsChromium: string;
  /** Canary runs at once (2); more runs wait in a queue, a canary never overlaps itself. */
  syntheticsConcurrency: number;
  /** Athena queries executing at once in this process (4); more wait QUEUED. */
  athenaConcurrency: number;
  /**
   * Athena query time limit (seconds; 120). Athena's own is 30 minutes, but the embedded engine runs
   * reads one at a time, so a long query delays every other read until it ends or hits this.
   */
  athenaQueryTimeoutSeconds: number;
  /**
   * Accept unsigned OTLP/HTTP (`/v1/traces`, `/v1/logs`, `/v1/metrics`) into the first key's
   * account and `otlpRegion`. AWS's OTLP endpoints require SigV4 (false, the default);
   * OpenTelemetry SDK exporters do not sign, so trusted networks turn this on instead of running a
   * signing collector.
   */
  otlpUnsigned: boolean;
  /** Region of unsigned OTLP data (signed requests go to the region they were signed for). */
  otlpRegion: string;
  lambda: { functions: Record<string, string> };
  /** Kinesis / Firehose stream ARN → `file:///abs/path` (one base64 record per line) or `http(s)://…` (Firehose HTTP endpoint format). */
  streams: Record<string, string>;
  /** The outbox delivery worker (subscription filters; later alarm actions, EventBridge targets). */
  delivery: DeliveryConfig;
  /** CloudWatch Logs export tasks: destination buckets and S3 access. */
  export: ExportConfig;
  /** CloudTrail's background work (milliseconds): trail delivery, digests and Insights. */
  cloudtrail: CloudTrailConfig;
  /**
   * Base URL Osprey is reached at from outside (SNS SubscribeURL, UnsubscribeURL, SigningCertURL).
   * Empty = the listening address.
   */
  publicUrl: string;
  /**
   * Raised (or lowered) service quotas, as AWS's Service Quotas would: `<service>.<quota>` → value,
   * e.g. `{"events.rulesPerBus": 1000}`. Unset quotas keep AWS's defaults.
   */
  quotas: Record<string, number>;
  /** Osprey's own health: the incident monitor behind the AWS Health API (docs/health.md). */
  health: HealthConfig;
  /** Osprey's own metrics as CloudWatch metrics (namespace Osprey/Server; docs/self-monitoring.md). */
  selfMonitoring: SelfMonitoringConfig;
  /** SNS: the SMTP server for email / email-json subscriptions (none = those protocols are refused). */
  sns: { smtp?: { host: string; port: number; secure?: boolean; user?: string; pass?: string; from: string } };
}

/** Delivery worker tuning (milliseconds). */
export interface DeliveryConfig {
  pollMs: number;
  backoffMs: number;
  maxBackoffMs: number;
  leaseMs: number;
  timeoutMs: number;
}

/** The incident monitor's interval and thresholds, and who is told (docs/health.md). */
export interface HealthConfig {
  /** How often the checks run (milliseconds). */
  intervalMs: number;
  /** A delivery (outbox row) still pending after this many seconds is a backlog incident. */
  deliveryBacklogSeconds: number;
  /** Less free space than this (percent of the data directory's file system) is a disk incident. */
  diskFreePercent: number;
  /** The account that sees Osprey's incidents ('' = the first access key's account). */
  account: string;
  /** The region whose default event bus gets "AWS Health Event"s (AWS sends global events to us-east-1). */
  eventRegion: string;
}

/** Publishing Osprey's own metrics into its CloudWatch metrics. */
export interface SelfMonitoringConfig {
  enabled: boolean;
  /** How often the values are sampled and written (seconds; 60). */
  intervalSeconds: number;
  /** The account that receives them ('' = the first access key's account). */
  account: string;
  region: string;
}

/** CloudTrail timing; AWS's values by default, shortened in tests. */
export interface CloudTrailConfig {
  /** Trail objects are written at least this often (AWS: about every 5 minutes) or at 1,000 records. */
  deliveryIntervalMs: number;
  /** Digest files when log file validation is on (AWS: hourly). */
  digestIntervalMs: number;
  /** How often Insights evaluates the last minute against its baseline. */
  insightsIntervalMs: number;
  /** The trailing window the Insights baseline is computed over (AWS: 7 days). */
  insightsWindowMs: number;
}

export const DEV_ACCESS_KEY: AccessKeyConfig = {
  accessKeyId: 'test',
  secretAccessKey: 'test',
  accountId: '000000000000',
  principalArn: 'arn:aws:iam::000000000000:root',
};

export function defaultConfig(): OspreyConfig {
  return {
    host: '127.0.0.1',
    port: 4566,
    dataDir: './data',
    logLevel: 'info',
    fsync: false,
    metadata: { url: '' },
    leaseMs: 30_000,
    accessKeys: [],
    maxClockSkewSeconds: 900,
    maxBodyBytes: 16 * 1024 * 1024,
    telemetry: { kind: 'chdb' },
    retentionIntervalMs: 60_000,
    emfPort: 25888,
    emfRegion: 'us-east-1',
    xrayUdpPort: 2000,
    xrayTcpPort: 2000,
    xrayRegion: 'us-east-1',
    xrayRetentionDays: 30,
    xrayGraphSettleSeconds: 10,
    sqsCheckpointMs: 1000,
    anomalyRetrainSeconds: 900,
    syntheticsChromium: '',
    syntheticsConcurrency: 2,
    athenaConcurrency: 4,
    athenaQueryTimeoutSeconds: 120,
    otlpUnsigned: false,
    otlpRegion: 'us-east-1',
    publicUrl: '',
    sns: {},
    lambda: { functions: {} },
    streams: {},
    delivery: { pollMs: 1000, backoffMs: 1000, maxBackoffMs: 300_000, leaseMs: 60_000, timeoutMs: 15_000 },
    export: { buckets: {} },
    cloudtrail: { deliveryIntervalMs: 300_000, digestIntervalMs: 3_600_000, insightsIntervalMs: 60_000, insightsWindowMs: 7 * 86_400_000 },
    quotas: {},
    health: { intervalMs: 10_000, deliveryBacklogSeconds: 300, diskFreePercent: 10, account: '', eventRegion: 'us-east-1' },
    selfMonitoring: { enabled: true, intervalSeconds: 60, account: '', region: 'us-east-1' },
  };
}

export class ConfigError extends Error {}

/** Flags as given on the command line; undefined = not given. */
export interface ConfigOverrides {
  host?: string;
  port?: number;
  emfPort?: number;
  dataDir?: string;
  configFile?: string;
  logLevel?: string;
}

const ENV_KEYS = {
  OSPREY_HOST: 'host',
  OSPREY_PORT: 'port',
  OSPREY_DATA: 'dataDir',
  OSPREY_LOG_LEVEL: 'logLevel',
  OSPREY_FSYNC: 'fsync',
  OSPREY_MAX_CLOCK_SKEW_SECONDS: 'maxClockSkewSeconds',
  OSPREY_MAX_BODY_BYTES: 'maxBodyBytes',
  OSPREY_RETENTION_INTERVAL_MS: 'retentionIntervalMs',
  OSPREY_EMF_PORT: 'emfPort',
  OSPREY_EMF_REGION: 'emfRegion',
  OSPREY_XRAY_UDP_PORT: 'xrayUdpPort',
  OSPREY_XRAY_TCP_PORT: 'xrayTcpPort',
  OSPREY_XRAY_REGION: 'xrayRegion',
  OSPREY_XRAY_RETENTION_DAYS: 'xrayRetentionDays',
  OSPREY_XRAY_GRAPH_SETTLE_SECONDS: 'xrayGraphSettleSeconds',
  OSPREY_SQS_CHECKPOINT_MS: 'sqsCheckpointMs',
  OSPREY_ANOMALY_RETRAIN_SECONDS: 'anomalyRetrainSeconds',
  OSPREY_SYNTHETICS_CHROMIUM: 'syntheticsChromium',
  OSPREY_SYNTHETICS_CONCURRENCY: 'syntheticsConcurrency',
  OSPREY_ATHENA_CONCURRENCY: 'athenaConcurrency',
  OSPREY_ATHENA_QUERY_TIMEOUT_SECONDS: 'athenaQueryTimeoutSeconds',
  OSPREY_OTLP_UNSIGNED: 'otlpUnsigned',
  OSPREY_OTLP_REGION: 'otlpRegion',
  OSPREY_PUBLIC_URL: 'publicUrl',
  OSPREY_LEASE_MS: 'leaseMs',
} as const;

/**
 * Builds the effective configuration: defaults < config file < environment < command-line flags.
 * The config file is YAML or JSON (`--config`, or OSPREY_CONFIG).
 */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): OspreyConfig {
  const cfg = defaultConfig();
  const file = overrides.configFile ?? env.OSPREY_CONFIG;
  if (file) merge(cfg, readConfigFile(file));

  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    setScalar(cfg, key, v, name);
  }
  if (env.OSPREY_ACCESS_KEYS) cfg.accessKeys = parseJsonEnv(env.OSPREY_ACCESS_KEYS, 'OSPREY_ACCESS_KEYS') as AccessKeyConfig[];
  if (env.OSPREY_LAMBDA_URLS) {
    cfg.lambda.functions = parseJsonEnv(env.OSPREY_LAMBDA_URLS, 'OSPREY_LAMBDA_URLS') as Record<string, string>;
  }
  if (env.OSPREY_EXPORT_BUCKETS) {
    cfg.export.buckets = parseJsonEnv(env.OSPREY_EXPORT_BUCKETS, 'OSPREY_EXPORT_BUCKETS') as Record<string, string>;
  }
  if (env.OSPREY_EXPORT_S3_ACCESS_KEY_ID) cfg.export.s3AccessKeyId = env.OSPREY_EXPORT_S3_ACCESS_KEY_ID;
  if (env.OSPREY_EXPORT_S3_SECRET_ACCESS_KEY) cfg.export.s3SecretAccessKey = env.OSPREY_EXPORT_S3_SECRET_ACCESS_KEY;
  if (env.OSPREY_EXPORT_S3_REGION) cfg.export.s3Region = env.OSPREY_EXPORT_S3_REGION;
  if (env.OSPREY_EXPORT_BUCKET_OWNERS) cfg.export.bucketOwners = parseJsonEnv(env.OSPREY_EXPORT_BUCKET_OWNERS, 'OSPREY_EXPORT_BUCKET_OWNERS') as Record<string, string[]>;
  if (env.OSPREY_SNS_SMTP) cfg.sns.smtp = parseJsonEnv(env.OSPREY_SNS_SMTP, 'OSPREY_SNS_SMTP') as OspreyConfig['sns']['smtp'];
  if (env.OSPREY_QUOTAS) cfg.quotas = quotas(parseJsonEnv(env.OSPREY_QUOTAS, 'OSPREY_QUOTAS'), 'OSPREY_QUOTAS');
  if (env.OSPREY_STREAM_SINKS) cfg.streams = parseJsonEnv(env.OSPREY_STREAM_SINKS, 'OSPREY_STREAM_SINKS') as Record<string, string>;
  for (const [name, key] of Object.entries(CLOUDTRAIL_ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v !== '') cfg.cloudtrail[key] = positiveInteger(v, name);
  }
  for (const [name, key] of Object.entries(HEALTH_ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v !== '') setHealth(cfg.health, key, v, name);
  }
  selfMonitoringFromEnv(cfg.selfMonitoring, env);
  for (const [name, key] of Object.entries(DELIVERY_ENV_KEYS)) {
    const v = env[name];
    if (v !== undefined && v !== '') cfg.delivery[key] = positiveInteger(v, name);
  }
  if (env.OSPREY_METADATA_URL) cfg.metadata = { url: env.OSPREY_METADATA_URL };
  if (env.OSPREY_CLICKHOUSE_URL) {
    cfg.telemetry = {
      kind: 'clickhouse',
      url: env.OSPREY_CLICKHOUSE_URL,
      username: env.OSPREY_CLICKHOUSE_USER,
      password: env.OSPREY_CLICKHOUSE_PASSWORD,
      database: env.OSPREY_CLICKHOUSE_DATABASE,
    };
  }

  if (overrides.host !== undefined) cfg.host = overrides.host;
  if (overrides.port !== undefined) cfg.port = overrides.port;
  if (overrides.emfPort !== undefined) cfg.emfPort = overrides.emfPort;
  if (overrides.dataDir !== undefined) cfg.dataDir = overrides.dataDir;
  if (overrides.logLevel !== undefined) cfg.logLevel = overrides.logLevel;

  cfg.dataDir = resolve(cfg.dataDir);
  check(cfg);
  return cfg;
}

function readConfigFile(path: string): Partial<OspreyConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  try {
    const parsed = YAML.parse(text) ?? {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('top level must be a mapping');
    return parsed as Partial<OspreyConfig>;
  } catch (e) {
    throw new ConfigError(`invalid config file ${path}: ${(e as Error).message}`);
  }
}

function merge(cfg: OspreyConfig, file: Partial<OspreyConfig>): void {
  for (const [k, v] of Object.entries(file)) {
    if (!(k in cfg)) throw new ConfigError(`unknown config key "${k}"`);
    if (k === 'lambda') cfg.lambda = { functions: { ...(v as OspreyConfig['lambda'])?.functions } };
    else if (k === 'streams') cfg.streams = { ...(v as Record<string, string>) };
    else if (k === 'sns') cfg.sns = { ...(v as OspreyConfig['sns']) };
    else if (k === 'quotas') cfg.quotas = quotas(v, 'quotas');
    else if (k === 'delivery') {
      for (const [dk, dv] of Object.entries((v ?? {}) as Record<string, unknown>)) {
        if (!(dk in cfg.delivery)) throw new ConfigError(`unknown config key "delivery.${dk}"`);
        cfg.delivery[dk as keyof DeliveryConfig] = positiveInteger(dv, `delivery.${dk}`);
      }
    }
    else if (k === 'cloudtrail') {
      for (const [ck, cv] of Object.entries((v ?? {}) as Record<string, unknown>)) {
        if (!(ck in cfg.cloudtrail)) throw new ConfigError(`unknown config key "cloudtrail.${ck}"`);
        cfg.cloudtrail[ck as keyof CloudTrailConfig] = positiveInteger(cv, `cloudtrail.${ck}`);
      }
    }
    else if (k === 'metadata') {
      for (const mk of Object.keys((v ?? {}) as object)) if (mk !== 'url') throw new ConfigError(`unknown config key "metadata.${mk}"`);
      cfg.metadata = { url: String((v as { url?: unknown })?.url ?? '') };
    }
    else if (k === 'health') {
      for (const [hk, hv] of Object.entries((v ?? {}) as Record<string, unknown>)) {
        if (!(hk in cfg.health)) throw new ConfigError(`unknown config key "health.${hk}"`);
        setHealth(cfg.health, hk as keyof HealthConfig, hv, `health.${hk}`);
      }
    }
    else if (k === 'selfMonitoring') mergeSelfMonitoring(cfg.selfMonitoring, v);
    else if (k === 'export') cfg.export = { ...(v as OspreyConfig['export']), buckets: { ...(v as OspreyConfig['export'])?.buckets } };
    else if (INTEGER_KEYS.has(k) || BOOLEAN_KEYS.has(k)) setScalar(cfg, k, v, k);
    else (cfg as unknown as Record<string, unknown>)[k] = v;
  }
}

const BOOLEAN_KEYS = new Set(['fsync', 'otlpUnsigned']);
const INTEGER_KEYS = new Set(['leaseMs', 'port', 'maxClockSkewSeconds', 'maxBodyBytes', 'retentionIntervalMs', 'emfPort', 'xrayUdpPort', 'xrayTcpPort', 'xrayRetentionDays', 'xrayGraphSettleSeconds', 'sqsCheckpointMs', 'anomalyRetrainSeconds', 'syntheticsConcurrency', 'athenaConcurrency', 'athenaQueryTimeoutSeconds']);

function setScalar(cfg: OspreyConfig, key: string, raw: unknown, source: string): void {
  const rec = cfg as unknown as Record<string, unknown>;
  if (BOOLEAN_KEYS.has(key)) {
    rec[key] = booleanValue(raw, source);
    return;
  }
  if (INTEGER_KEYS.has(key)) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${source} must be a non-negative integer, got "${raw}"`);
    rec[key] = n;
    return;
  }
  rec[key] = String(raw);
}

const CLOUDTRAIL_ENV_KEYS = {
  OSPREY_CLOUDTRAIL_DELIVERY_INTERVAL_MS: 'deliveryIntervalMs',
  OSPREY_CLOUDTRAIL_DIGEST_INTERVAL_MS: 'digestIntervalMs',
  OSPREY_CLOUDTRAIL_INSIGHTS_INTERVAL_MS: 'insightsIntervalMs',
  OSPREY_CLOUDTRAIL_INSIGHTS_WINDOW_MS: 'insightsWindowMs',
} as const satisfies Record<string, keyof CloudTrailConfig>;

const HEALTH_ENV_KEYS = {
  OSPREY_HEALTH_INTERVAL_MS: 'intervalMs',
  OSPREY_HEALTH_BACKLOG_SECONDS: 'deliveryBacklogSeconds',
  OSPREY_HEALTH_DISK_FREE_PERCENT: 'diskFreePercent',
  OSPREY_HEALTH_ACCOUNT: 'account',
  OSPREY_HEALTH_EVENT_REGION: 'eventRegion',
} as const satisfies Record<string, keyof HealthConfig>;

function setHealth(h: HealthConfig, key: keyof HealthConfig, raw: unknown, source: string): void {
  if (key === 'account' || key === 'eventRegion') {
    h[key] = String(raw);
    return;
  }
  const n = positiveInteger(raw, source);
  if (key === 'diskFreePercent' && n > 100) throw new ConfigError(`${source} must be 1-100, got "${String(raw)}"`);
  h[key] = n;
}

const DELIVERY_ENV_KEYS = {
  OSPREY_DELIVERY_POLL_MS: 'pollMs',
  OSPREY_DELIVERY_BACKOFF_MS: 'backoffMs',
  OSPREY_DELIVERY_MAX_BACKOFF_MS: 'maxBackoffMs',
  OSPREY_DELIVERY_LEASE_MS: 'leaseMs',
  OSPREY_DELIVERY_TIMEOUT_MS: 'timeoutMs',
} as const satisfies Record<string, keyof DeliveryConfig>;

function selfMonitoringFromEnv(sm: SelfMonitoringConfig, env: NodeJS.ProcessEnv): void {
  if (env.OSPREY_SELF_MONITORING) sm.enabled = booleanValue(env.OSPREY_SELF_MONITORING, 'OSPREY_SELF_MONITORING');
  if (env.OSPREY_SELF_MONITORING_INTERVAL) sm.intervalSeconds = positiveInteger(env.OSPREY_SELF_MONITORING_INTERVAL, 'OSPREY_SELF_MONITORING_INTERVAL');
  if (env.OSPREY_SELF_MONITORING_ACCOUNT) sm.account = env.OSPREY_SELF_MONITORING_ACCOUNT;
  if (env.OSPREY_SELF_MONITORING_REGION) sm.region = env.OSPREY_SELF_MONITORING_REGION;
}

function mergeSelfMonitoring(sm: SelfMonitoringConfig, raw: unknown): void {
  for (const [key, v] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    const source = `selfMonitoring.${key}`;
    if (key === 'enabled') sm.enabled = booleanValue(v, source);
    else if (key === 'intervalSeconds') sm.intervalSeconds = positiveInteger(v, source);
    else if (key === 'account' || key === 'region') sm[key] = String(v);
    else throw new ConfigError(`unknown config key "${source}"`);
  }
}

function booleanValue(raw: unknown, source: string): boolean {
  const s = String(raw).toLowerCase();
  if (!['true', 'false', '1', '0'].includes(s)) throw new ConfigError(`${source} must be true or false`);
  return s === 'true' || s === '1';
}

function quotas(raw: unknown, source: string): Record<string, number> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${source} must be an object of "<service>.<quota>": number`);
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, positiveInteger(v, `${source}.${k}`)]));
}

function positiveInteger(raw: unknown, source: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${source} must be a positive integer, got "${raw}"`);
  return n;
}

function parseJsonEnv(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${name} is not valid JSON: ${(e as Error).message}`);
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;
export const isLoopback = (host: string): boolean => LOOPBACK.test(host);

function check(cfg: OspreyConfig): void {
  if (cfg.port > 65535) throw new ConfigError(`port must be 0-65535, got ${cfg.port}`);
  if (cfg.emfPort > 65535) throw new ConfigError(`emfPort must be 0-65535, got ${cfg.emfPort}`);
  for (const k of ['xrayUdpPort', 'xrayTcpPort'] as const) if (cfg[k] > 65535) throw new ConfigError(`${k} must be 0-65535, got ${cfg[k]}`);
  if (cfg.anomalyRetrainSeconds < 10) throw new ConfigError(`anomalyRetrainSeconds must be at least 10, got ${cfg.anomalyRetrainSeconds}`);
  if (cfg.athenaConcurrency < 1 || cfg.athenaConcurrency > 64) throw new ConfigError(`athenaConcurrency must be 1-64, got ${cfg.athenaConcurrency}`);
  if (cfg.athenaQueryTimeoutSeconds < 1 || cfg.athenaQueryTimeoutSeconds > 86400) throw new ConfigError(`athenaQueryTimeoutSeconds must be 1-86400, got ${cfg.athenaQueryTimeoutSeconds}`);
  if (cfg.syntheticsConcurrency < 1 || cfg.syntheticsConcurrency > 64) throw new ConfigError(`syntheticsConcurrency must be 1-64, got ${cfg.syntheticsConcurrency}`);
  if (cfg.xrayRetentionDays < 1 || cfg.xrayRetentionDays > 3650) throw new ConfigError(`xrayRetentionDays must be 1-3650, got ${cfg.xrayRetentionDays}`);
  if (cfg.xrayGraphSettleSeconds < 0 || cfg.xrayGraphSettleSeconds > 86400) throw new ConfigError(`xrayGraphSettleSeconds must be 0-86400, got ${cfg.xrayGraphSettleSeconds}`);
  if (cfg.sqsCheckpointMs < 100 || cfg.sqsCheckpointMs > 3_600_000) throw new ConfigError(`sqsCheckpointMs must be 100-3600000, got ${cfg.sqsCheckpointMs}`);
  if (cfg.leaseMs < 300) throw new ConfigError(`leaseMs must be at least 300, got ${cfg.leaseMs}`);
  if (cfg.metadata.url !== '' && !/^postgres(ql)?:\/\//.test(cfg.metadata.url)) {
    throw new ConfigError(`metadata.url must be empty (SQLite in the data directory) or a postgres:// URL, got "${cfg.metadata.url}"`);
  }
  try {
    checkExportConfig(cfg.export);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  if (cfg.health.account !== '' && !/^\d{12}$/.test(cfg.health.account)) throw new ConfigError(`health.account must be a 12-digit account id, got "${cfg.health.account}"`);
  const sm = cfg.selfMonitoring;
  if (sm.account !== '' && !/^\d{12}$/.test(sm.account)) throw new ConfigError(`selfMonitoring.account must be a 12-digit account id, got "${sm.account}"`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(sm.region)) throw new ConfigError(`selfMonitoring.region must be a region name like us-east-1, got "${sm.region}"`);
  for (const k of cfg.accessKeys) {
    if (!k?.accessKeyId || !k.secretAccessKey || !/^\d{12}$/.test(String(k.accountId ?? ''))) {
      throw new ConfigError('each access key needs accessKeyId, secretAccessKey and a 12-digit accountId');
    }
  }
  if (cfg.accessKeys.length === 0 && !isLoopback(cfg.host)) {
    throw new ConfigError(
      `refusing to listen on ${cfg.host} with only the development key test/test: ` +
        'configure accessKeys in the config file or OSPREY_ACCESS_KEYS, or bind to 127.0.0.1',
    );
  }
}

/** The keys requests are verified against: configured ones, or the dev key on loopback. */
export function effectiveAccessKeys(cfg: OspreyConfig): Required<AccessKeyConfig>[] {
  const keys = cfg.accessKeys.length > 0 ? cfg.accessKeys : [DEV_ACCESS_KEY];
  return keys.map((k) => ({ ...k, principalArn: k.principalArn ?? `arn:aws:iam::${k.accountId}:root` }));
}

/**
 * The installation's operator: the first configured access key's account (the dev key's
 * 000000000000 without keys). It administers the server (backups) and, unless configured
 * otherwise, receives Osprey's own metrics and incidents.
 */
export const operatorAccount = (cfg: OspreyConfig): string => effectiveAccessKeys(cfg)[0]!.accountId;
