/**
 * ops-backup: `osprey backup` of a running server whose log group holds N events (default 1 M,
 * generated inside the engine: bench/lib/bulk-group.ts), then `osprey restore` of it and a start
 * on the restored directory. Reports wall times (CLI process included), the server's own backup
 * time, bytes on disk of the data directory and of the backup.
 * Options: --rows N (1000000)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { osprey } from '../test/helpers/osprey-cli.ts';
import { startTestServer } from '../test/helpers/server.ts';
import { bulkGroup } from './lib/bulk-group.ts';
import { SignedJsonClient } from './lib/signed-client.ts';
import { duMb, printTable } from './lib/stats.ts';

const GROUP = '/bench/backup';

export async function run(args: string[]) {
  const i = args.indexOf('--rows');
  const rows = i >= 0 ? Number(args[i + 1]) : 1_000_000;
  const { server, rows: total } = await bulkGroup(GROUP, rows);
  const scratch = mkdtempSync(join(tmpdir(), 'osprey-bench-backup-'));
  try {
    const to = join(scratch, 'backup');
    let t = performance.now();
    const backup = await osprey(['backup', '--to', to, '--endpoint', server.url]);
    const backupSec = (performance.now() - t) / 1000;
    if (backup.code !== 0) throw new Error(backup.stderr);
    const serverMs = Number(/in (\d+) ms/.exec(backup.stdout)?.[1]);
    const dataMb = duMb(server.dataDir);
    await server.stop();
    server.cleanup();
    const restored = join(scratch, 'restored');
    t = performance.now();
    const restore = await osprey(['restore', '--from', to, '--data-dir', restored]);
    const restoreSec = (performance.now() - t) / 1000;
    if (restore.code !== 0) throw new Error(restore.stderr);
    const again = await startTestServer({ dataDir: restored, modules: ['logs'] });
    const api = new SignedJsonClient(again.url, 'logs', 'Logs_20140328');
    const page = await api.call('GetLogEvents', JSON.stringify({ logGroupName: GROUP, logStreamName: 's', startFromHead: true, limit: 5 }));
    api.close();
    await again.stop();
    if (page.status !== 200 || (JSON.parse(page.body) as { events: unknown[] }).events.length !== 5) throw new Error(`restored server: ${page.body}`);
    const result = {
      rows: total, dataMb, backupMb: duMb(to), backupSeconds: backupSec, serverBackupSeconds: serverMs / 1000, restoreSeconds: restoreSec,
    };
    printTable('osprey backup / restore', [{
      events: total, 'data MB': dataMb.toFixed(1), 'backup MB': result.backupMb.toFixed(1), 'backup s (CLI)': backupSec.toFixed(1),
      'backup s (server)': result.serverBackupSeconds.toFixed(1), 'restore s': restoreSec.toFixed(1),
    }]);
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
