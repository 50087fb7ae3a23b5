/** `osprey agent`: the CloudWatch agent's job from its own JSON config (src/agent/). Loaded only when run. */
import type { Command } from 'commander';

interface AgentFlags { config: string; endpoint?: string; region?: string; checkConfig?: boolean; logLevel: string; stateDir: string }

export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('collect host metrics as the CloudWatch agent does, from an amazon-cloudwatch-agent.json, and send them with PutMetricData')
    .requiredOption('--config <file>', 'the agent config (the CloudWatch agent\'s JSON format)')
    .option('--endpoint <url>', 'CloudWatch endpoint, e.g. http://127.0.0.1:4566 for Osprey (default: the region\'s AWS endpoint)')
    .option('--region <region>', 'region (default: agent.region, AWS_REGION, AWS_DEFAULT_REGION, us-east-1)')
    .option('--check-config', 'validate the config and exit (0 valid, 2 invalid)')
    .option('--state-dir <dir>', 'where log file positions are kept across restarts', 'osprey-agent-state')
    .option('--log-level <level>', 'trace|debug|info|warn|error|silent', 'info')
    .addHelpText(
      'after',
      `
Runs: the agent and metrics sections with the cpu, mem, swap, disk, netstat and processes inputs,
and logs.logs_collected.files (file tailing with rotation, checkpoints in --state-dir).
Credentials come from the standard AWS chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, …).
SIGTERM / SIGINT send what is queued and exit. Exit status: 0 stopped, 2 invalid config.`,
    )
    .action(async (o: AgentFlags) => {
      const { loadAgentConfig, AgentConfigError } = await import('../agent/config/load.ts');
      const { startAgent } = await import('../agent/agent.ts');
      const { planMetrics } = await import('../agent/metrics-pipeline.ts');
      const { hostFacts } = await import('../agent/host-facts.ts');
      const { createLogger } = await import('../lib/logger.ts');
      try {
        const cfg = loadAgentConfig(o.config);
        if (o.checkConfig) {
          const plan = cfg.metrics ? planMetrics(cfg, hostFacts()) : undefined;
          const { checkLogEntries } = await import('../agent/logs/logs-pipeline.ts');
          const files = cfg.logs ? checkLogEntries(cfg.logs) : 0;
          const metrics = plan ? `namespace ${plan.namespace}; ${plan.inputs.map((i) => `${i.name} every ${i.intervalS}s (${i.metrics ? `${i.metrics.size} metrics` : 'metrics as named'})`).join(', ')}` : 'no metrics';
          console.log(`config valid: ${metrics}; ${files} log file entries`);
          return;
        }
        const agent = await startAgent(cfg, { endpoint: o.endpoint, region: o.region, stateDir: o.stateDir, log: createLogger(o.logLevel) });
        const stop = () => void agent.stop().then(() => process.exit(0));
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
    });
}
