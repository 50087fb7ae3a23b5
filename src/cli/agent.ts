/** `osprey agent`: the CloudWatch agent's job from its own JSON config (src/agent/). Loaded only when run. */
import type { Command } from 'commander';
import type { AgentFlags } from '../agent/run.ts';

export function registerAgentCommand(program: Command): void {
  program
    .command('agent')
    .description('collect host and container metrics, StatsD, collectd, EMF and log files as the CloudWatch agent does, from its amazon-cloudwatch-agent.json (PutMetricData, PutLogEvents)')
    .requiredOption('--config <file|ssm:name>', 'the agent config (the CloudWatch agent\'s JSON format), a file or ssm:<Parameter Store name>')
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
SIGHUP reloads the config; SIGTERM / SIGINT send what is queued and exit. Exit status: 0 stopped, 2 invalid config.`,
    )
    .action(async (o: AgentFlags) => {
      const { runAgentCommand } = await import('../agent/run.ts');
      await runAgentCommand(o);
    });
}
