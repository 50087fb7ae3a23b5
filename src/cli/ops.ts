/**
 * `osprey backup`, `osprey restore`, `osprey doctor` (docs/operations.md). The work is loaded only
 * when a command runs. Exit status: 0 done, 1 failed or refused, 2 usage or configuration error.
 */
import type { Command } from 'commander';
import type { DoctorCliOptions } from './doctor.ts';

/** Runs a command's action, turning its known failures into one line and an exit status. */
async function run(name: string, action: () => Promise<void>): Promise<void> {
  const { ConfigError } = await import('../config/config.ts');
  try {
    await action();
  } catch (e) {
    console.error(`osprey ${name}: ${(e as Error).message}`);
    process.exitCode = e instanceof ConfigError ? 2 : 1;
  }
}

export function registerOpsCommands(program: Command): void {
  program
    .command('backup')
    .description('write a consistent backup of a data directory, also while the server runs')
    .requiredOption('--to <dir>', 'new (or empty) directory to write the backup to')
    .option('--data-dir <dir>', 'data directory to back up (env OSPREY_DATA; default ./data)')
    .option('--config <file>', 'the server\'s config file (env OSPREY_CONFIG): data directory, host and port')
    .option('--endpoint <url>', 'ask the server at this URL to write the backup (default: the config\'s host:port when a server holds the data directory)')
    .addHelpText('after', `
While a server holds the data directory, the server itself writes the backup (POST /_osprey/admin/backup,
signed with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY of the admin account, the first configured key;
default test/test), so --to is a path on the server's machine. Otherwise this command locks the data
directory and writes it offline. Every row acknowledged before the backup starts is in it.
Exit status: 0 written, 1 failed or refused, 2 configuration error.`)
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((o: import('./backup.ts').BackupCliOptions) => run('backup', async () => {
      const { runBackup } = await import('./backup.ts');
      const { summary, via } = await runBackup(o);
      console.log(`backup written to ${summary.to} by the ${via}: ${summary.files} files, ${summary.bytes} bytes in ${summary.ms} ms`);
    }));

  program
    .command('restore')
    .description('rebuild a data directory from a backup (verified against its manifest first)')
    .requiredOption('--from <dir>', 'backup directory written by osprey backup')
    .requiredOption('--data-dir <dir>', 'data directory to restore into (must be empty or absent, or --force)')
    .option('--force', 'replace a non-empty data directory (its contents are deleted)')
    .addHelpText('after', `
Never while a server holds the target. The new directory is built beside the target and renamed into
place last, so an interrupted restore leaves the target as it was.
Exit status: 0 restored, 1 refused (bad backup, target in use or not empty) or failed, 2 usage error.`)
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((o: { from: string; dataDir: string; force?: boolean }) => run('restore', async () => {
      const { restoreBackup } = await import('../ops/backup/restore.ts');
      const r = await restoreBackup(o.from, o.dataDir, { force: o.force });
      console.log(`restored ${r.dataDir} from the backup of ${r.manifest.createdAt} (Osprey ${r.manifest.ospreyVersion}, ${r.manifest.files.length} files) in ${r.ms} ms`);
    }));

  program
    .command('doctor')
    .description('check config, ports, disk, permissions, store versions, lock and WAL backlog')
    .option('--config <file>', 'config file to check (env OSPREY_CONFIG)')
    .option('--data-dir <dir>', 'data directory to check (env OSPREY_DATA; default ./data)')
    .option('--min-free-mb <n>', 'fail when the data directory\'s filesystem has less free space (MiB)', '1024')
    .option('--json', 'print the checks as JSON')
    .addHelpText('after', `
Prints one line per check (ok / warn / fail). Exit status: 0 no failed check, 1 any failed check.`)
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
    .action((o: DoctorCliOptions) => run('doctor', async () => {
      const { runDoctor } = await import('./doctor.ts');
      process.exitCode = await runDoctor(o, (line) => process.stdout.write(`${line}\n`));
    }));
}
