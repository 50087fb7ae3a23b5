/**
 * `osprey canary …`: CloudWatch Synthetics tools. The work is loaded only when a command runs; the
 * blueprint list (dependency-free data) is read here for --help.
 */
import type { Command } from 'commander';
import { blueprints } from '../services/synthetics/blueprints/index.ts';
import type { InitOptions } from './canary-init.ts';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerCanaryCommands(program: Command): void {
  const canary = program.command('canary').description('CloudWatch Synthetics canary tools');
  canary
    .command('init')
    .description('write a blueprint canary script in the layout its runtime expects, zip it, and print the create-canary command')
    .argument('<blueprint>', 'the blueprint (see the list below)')
    .argument('[dir]', 'where to write the script and canary.zip (default: ./<name>)')
    .option('--url <url>', 'the page or endpoint to check (the blueprint\'s URL, or one of its URLS; repeatable)', collect)
    .option('--param <NAME=value>', 'a blueprint parameter; the value is read as JSON when it parses, else as text (repeatable)', collect)
    .option('--name <name>', 'canary name for the printed command (default: <blueprint>-canary)')
    .option('--schedule <expression>', 'schedule for the printed command: rate(1 minute), cron(…), rate(0 minute) to run once', 'rate(5 minutes)')
    .option('--runtime <version>', 'runtime version for the printed command (default: the newest Osprey runs for the blueprint)')
    .option('--artifact-location <s3-uri>', 'ArtifactS3Location (a bucket in the server\'s export.buckets; default s3://osprey-canaries/<name>)')
    .option('--role <arn>', 'ExecutionRoleArn', 'arn:aws:iam::000000000000:role/CloudWatchSyntheticsRole')
    .option('--endpoint-url <url>', 'Osprey server URL for the printed command', 'http://127.0.0.1:4566')
    .option('--force', 'overwrite the script and canary.zip if they exist')
    .addHelpText('after', () => `
Puppeteer blueprints go to <dir>/nodejs/node_modules/<file>.js, Playwright ones to <dir>/<file>.js.
The printed command inlines canary.zip as base64 (AWS CLI v2; v1 cannot send a nested zip).
Blueprints:
${blueprintHelp()}
Exit status: 0 written, 2 usage error (unknown blueprint, bad parameter, files already there).`)
    // A missing or bad option is a usage error: exit 2.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action(async (blueprint: string, dir: string | undefined, o: InitOptions) => {
      const { initCanary, UsageError } = await import('./canary-init.ts');
      try {
        const r = initCanary(blueprint, dir, o);
        console.log(`wrote ${r.scriptPath}\nwrote ${r.zipPath}\n\nCreate and start the canary:\n\n${r.commands.join('\n\n')}\n`);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        console.error(`osprey canary init: ${e.message}`);
        process.exitCode = 2;
      }
    });
}

function blueprintHelp(): string {
  return blueprints.map((b) => `  ${b.name.padEnd(12)} ${b.title} (${b.runtimeFamily}; parameters: ${b.params.map((p) => p.name).join(', ')})`).join('\n');
}
