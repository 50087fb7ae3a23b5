/**
 * The Osprey agent: reads an amazon-cloudwatch-agent.json, publishes the host's metrics
 * (PutMetricData) and log files (PutLogEvents) with the AWS SDK, to Osprey or to CloudWatch itself
 * (credentials from the standard AWS chain).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Logger } from '../lib/logger.ts';
import { AgentConfigError } from './config/load.ts';
import type { AgentConfigJson, ContainerConfig } from './config/schema.ts';
import { ContainerInsights } from './containers/container-insights.ts';
import { hostFacts } from './host-facts.ts';
import { Checkpoints } from './logs/checkpoints.ts';
import { LogsPipeline } from './logs/logs-pipeline.ts';
import { MetricPublisher } from './metric-publisher.ts';
import { MetricSpool } from './metric-spool.ts';
import { MetricsPipeline, planMetrics, type MetricsPlan } from './metrics-pipeline.ts';

export interface AgentOptions {
  /** E.g. http://127.0.0.1:4566 for Osprey; the region's endpoints when absent. */
  endpoint?: string;
  /** Overrides agent.region; else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1. */
  region?: string;
  /** Where log file checkpoints are kept. */
  stateDir: string;
  log: Logger;
}

export interface RunningAgent {
  plan: MetricsPlan | undefined;
  stop(): Promise<void>;
}

type Credentials = NonNullable<NonNullable<AgentConfigJson['agent']>['credentials']>;

function clientConfig(cfg: AgentConfigJson, opts: AgentOptions, creds: Credentials | undefined, endpointOverride: string | undefined) {
  if (creds?.role_arn) {
    throw new AgentConfigError(['Under path : /agent/credentials/role_arn | Error : assuming a role is not supported by this version of the Osprey agent; use a profile or the environment']);
  }
  if (creds?.shared_credential_file) process.env.AWS_SHARED_CREDENTIALS_FILE = creds.shared_credential_file;
  const region = opts.region ?? cfg.agent?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = opts.endpoint ?? endpointOverride;
  return { region, ...(endpoint ? { endpoint } : {}), ...(creds?.profile ? { profile: creds.profile } : {}) };
}

/** Osprey's container input, from whichever metrics_collected holds it, and its key path. */
export function containerConfig(cfg: AgentConfigJson): { cfg: ContainerConfig; at: string } | undefined {
  const inLogs = cfg.logs?.metrics_collected?.container;
  if (inLogs) return { cfg: { metrics_collection_interval: cfg.agent?.metrics_collection_interval, ...inLogs }, at: '/logs/metrics_collected/container' };
  const inMetrics = cfg.metrics?.metrics_collected.container;
  if (inMetrics) return { cfg: { metrics_collection_interval: cfg.agent?.metrics_collection_interval, ...inMetrics }, at: '/metrics/metrics_collected/container' };
  return undefined;
}

export async function startAgent(cfg: AgentConfigJson, opts: AgentOptions): Promise<RunningAgent> {
  const facts = hostFacts();
  const stops: (() => Promise<void>)[] = [];
  let plan: MetricsPlan | undefined;
  if (cfg.metrics) {
    plan = planMetrics(cfg, facts, undefined, opts.log);
    const client = new CloudWatchClient(clientConfig(cfg, opts, cfg.metrics.credentials ?? cfg.agent?.credentials, cfg.metrics.endpoint_override));
    const pipeline = new MetricsPipeline(plan, new MetricPublisher(client, opts.log, undefined, new MetricSpool(opts.stateDir)), opts.log);
    await pipeline.start();
    stops.push(async () => { await pipeline.stop(); client.destroy(); });
    opts.log.info({ namespace: plan.namespace, inputs: plan.inputs.map((i) => `${i.name}/${i.intervalS}s`), flushSeconds: plan.flushS }, 'osprey agent collecting metrics');
  }
  const container = containerConfig(cfg);
  if (container) {
    const client = new CloudWatchLogsClient(clientConfig(cfg, opts, cfg.logs?.credentials ?? cfg.agent?.credentials, cfg.logs?.endpoint_override));
    const insights = new ContainerInsights(container.cfg, container.at, facts, client, opts.log);
    insights.start();
    stops.push(async () => { await insights.stop(); client.destroy(); });
  }
  if (cfg.logs) {
    const client = new CloudWatchLogsClient(clientConfig(cfg, opts, cfg.logs.credentials ?? cfg.agent?.credentials, cfg.logs.endpoint_override));
    const pipeline = new LogsPipeline(cfg.logs, facts, client, new Checkpoints(opts.stateDir), opts.log);
    await pipeline.start();
    stops.push(async () => { await pipeline.stop(); client.destroy(); });
    opts.log.info({ files: cfg.logs.logs_collected?.files.collect_list.map((e) => e.file_path) ?? [], emf: cfg.logs.metrics_collected?.emf !== undefined, stateDir: opts.stateDir }, 'osprey agent collecting logs');
  }
  return { plan, stop: async () => { await Promise.all(stops.map((s) => s())); } };
}
