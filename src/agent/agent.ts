/**
 * The Osprey agent: reads an amazon-cloudwatch-agent.json and publishes the host's metrics with
 * the AWS SDK, to Osprey or to CloudWatch itself (credentials from the standard AWS chain).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Logger } from '../lib/logger.ts';
import { AgentConfigError } from './config/load.ts';
import type { AgentConfigJson } from './config/schema.ts';
import { hostFacts } from './host-facts.ts';
import { MetricPublisher } from './metric-publisher.ts';
import { MetricsPipeline, planMetrics, type MetricsPlan } from './metrics-pipeline.ts';

export interface AgentOptions {
  /** E.g. http://127.0.0.1:4566 for Osprey; the region's CloudWatch endpoint when absent. */
  endpoint?: string;
  /** Overrides agent.region; else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1. */
  region?: string;
  log: Logger;
}

export interface RunningAgent {
  plan: MetricsPlan;
  stop(): Promise<void>;
}

function clientConfig(cfg: AgentConfigJson, opts: AgentOptions) {
  const creds = cfg.metrics?.credentials ?? cfg.agent?.credentials;
  if (creds?.role_arn) {
    throw new AgentConfigError(['Under path : /agent/credentials/role_arn | Error : assuming a role is not supported by this version of the Osprey agent; use a profile or the environment']);
  }
  if (creds?.shared_credential_file) process.env.AWS_SHARED_CREDENTIALS_FILE = creds.shared_credential_file;
  const region = opts.region ?? cfg.agent?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const endpoint = opts.endpoint ?? cfg.metrics?.endpoint_override;
  return { region, ...(endpoint ? { endpoint } : {}), ...(creds?.profile ? { profile: creds.profile } : {}) };
}

export function startAgent(cfg: AgentConfigJson, opts: AgentOptions): RunningAgent {
  const plan = planMetrics(cfg, hostFacts());
  const client = new CloudWatchClient(clientConfig(cfg, opts));
  const pipeline = new MetricsPipeline(plan, new MetricPublisher(client, opts.log), opts.log);
  pipeline.start();
  opts.log.info({ namespace: plan.namespace, inputs: plan.inputs.map((i) => `${i.name}/${i.intervalS}s`), flushSeconds: plan.flushS }, 'osprey agent collecting');
  return {
    plan,
    stop: async () => {
      await pipeline.stop();
      client.destroy();
    },
  };
}
