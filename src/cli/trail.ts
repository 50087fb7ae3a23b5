/** `osprey trail …`: CloudTrail tools run against a server. The work is loaded only when a command runs. */
import type { Command } from 'commander';

export function registerTrailCommands(program: Command): void {
  const trail = program.command('trail').description('CloudTrail tools (run against a running server)');
  trail
    .command('validate')
    .description('validate trail log files with their digest files, like `aws cloudtrail validate-logs`')
    .requiredOption('--trail-arn <arn>', 'ARN of the trail to validate')
    .requiredOption('--start-time <time>', 'validate log files delivered on or after this UTC time, e.g. 2026-01-08T05:21:42Z')
    .option('--end-time <time>', 'validate log files delivered on or before this UTC time (default: now)')
    .option('--s3-bucket <bucket>', 'bucket holding the digest files (default: the trail\'s, from DescribeTrails)')
    .option('--s3-prefix <prefix>', 'key prefix of the digest files (default: the trail\'s)')
    .option('--verbose', 'also list every valid digest and log file')
    .option('--endpoint-url <url>', 'Osprey server URL', 'http://127.0.0.1:4566')
    .option('--region <region>', 'region whose digests to validate (default: AWS_REGION, AWS_DEFAULT_REGION, else the trail\'s)')
    .option('--config <file>', 'the server\'s config file, for its bucket mapping (env OSPREY_CONFIG; or OSPREY_EXPORT_BUCKETS)')
    .addHelpText(
      'after',
      `
Objects are read directly from the bucket mapping (export.buckets: file:// directories or S3), so
run it where the server's buckets are reachable. Credentials: AWS_ACCESS_KEY_ID /
AWS_SECRET_ACCESS_KEY (default test/test).
Exit status: 0 all digest and log files valid, 1 any invalid, 2 usage, config or connection error.`,
    )
    // A missing or bad option is a usage error: exit 2, as validate-logs' callers expect from usage.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(async (o: Parameters<typeof import('./trail-validate.ts').validateTrail>[0]) => {
      const { validateTrail } = await import('./trail-validate.ts');
      let code: number;
      try {
        code = await validateTrail(o, {
          out: (line) => process.stdout.write(`${line}\n`),
          err: (line) => process.stderr.write(`${line}\n`),
        });
      } catch (e) {
        // One line an operator can act on: a bad argument, config, or an unreachable server.
        console.error(`osprey trail validate: ${(e as Error).message}`);
        code = 2;
      }
      process.exitCode = code;
    });
}
