/**
 * `osprey agent`'s process: read the config (file or `ssm:`), check it (`--check-config` stops
 * there), run it; SIGHUP reads the config again and, when it is valid, replaces the running agent
 * (the old one sends what it has queued first; an invalid new config is logged and the old one
 * keeps running); SIGTERM / SIGINT send what is queued and exit 0.
 */
import { createLogger, type Logger } from '../lib/logger.ts';
import { containerConfig, startAgent, type RunningAgent } from './agent.ts';
import { AgentConfigError } from './config/load.ts';
import type { AgentConfigJson } from './config/schema.ts';
import { readAgentConfig } from './config/source.ts';
import { hostFacts } from './host-facts.ts';
import { checkLogEntries } from './logs/logs-pipeline.ts';
import { cgroupLayout } from './containers/cgroup-layout.ts';
import { planMetrics } from './metrics-pipeline.ts';

export interface AgentFlags { config: string; endpoint?: string; region?: string; checkConfig?: boolean; logLevel: string; stateDir: string }

function summary(cfg: AgentConfigJson): string {
  const plan = cfg.metrics ? planMetrics(cfg, hostFacts()) : undefined;
  const files = cfg.logs ? checkLogEntries(cfg.logs) : 0;
  const metrics = plan
    ? `namespace ${plan.namespace}; ${plan.inputs.map((i) => `${i.name} every ${i.intervalS}s (${i.metrics ? `${i.metrics.size} metrics` : 'metrics as named'})`).join(', ')}`
    : 'no metrics';
  const container = containerConfig(cfg);
  const cgroupRoot = container?.cfg.cgroup_root ?? '/sys/fs/cgroup';
  if (container && !cgroupLayout(cgroupRoot)) {
    throw new AgentConfigError([`Under path : ${container.at}/cgroup_root | Error : no cgroup file system (v1 or v2) at ${cgroupRoot}`]);
  }
  return `${metrics}; ${files} log file entries${container ? `; container insights every ${container.cfg.metrics_collection_interval ?? 60}s` : ''}`;
}

async function load(o: AgentFlags): Promise<AgentConfigJson> {
  const region = o.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const cfg = await readAgentConfig(o.config, { endpoint: o.endpoint, region });
  summary(cfg); // the checks that need the host (measurement names, patterns, encodings)
  return cfg;
}

function onSighup(o: AgentFlags, log: Logger, current: { agent: RunningAgent }): void {
  let reloading = Promise.resolve();
  process.on('SIGHUP', () => {
    reloading = reloading.then(async () => {
      let cfg: AgentConfigJson;
      try {
        cfg = await load(o);
      } catch (e) {
        log.error({ err: (e as Error).message }, 'SIGHUP: the new config is not valid; the agent keeps running the old one');
        return;
      }
      await current.agent.stop();
      current.agent = await startAgent(cfg, { endpoint: o.endpoint, region: o.region, stateDir: o.stateDir, log });
      log.info({ config: o.config }, 'SIGHUP: config reloaded');
    });
  });
}

export async function runAgentCommand(o: AgentFlags): Promise<void> {
  try {
    const cfg = await load(o);
    if (o.checkConfig) {
      console.log(`config valid: ${summary(cfg)}`);
      return;
    }
    const log = createLogger(o.logLevel);
    const current = { agent: await startAgent(cfg, { endpoint: o.endpoint, region: o.region, stateDir: o.stateDir, log }) };
    onSighup(o, log, current);
    const stop = () => void current.agent.stop().then(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (e) {
    if (e instanceof AgentConfigError) {
      console.error(`osprey agent: invalid config ${o.config}:\n${e.message}`);
      process.exit(2);
    }
    // E.g. the StatsD port is taken: one line, not a stack trace.
    console.error(`osprey agent: ${(e as Error).message}`);
    process.exit(1);
  }
}
