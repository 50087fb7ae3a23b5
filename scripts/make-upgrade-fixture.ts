/**
 * Writes the upgrade fixture: starts the server of an OLD checkout on a fresh data directory, writes
 * test/helpers/upgrade-queries.ts' data, records the answers of its reads, stops the server
 * gracefully and packs the data directory. test/upgrade-data-dir.test.ts then opens that directory
 * with the current code and expects the same answers.
 *
 *   git worktree add /tmp/old-release <commit> && ln -s "$PWD/node_modules" /tmp/old-release/node_modules
 *   npx tsx scripts/make-upgrade-fixture.ts --release /tmp/old-release --name <commit>
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { readFixtureAnswers, writeFixtureData } from '../test/helpers/upgrade-queries.ts';

const args = process.argv.slice(2);
if (args.includes('--help') || !args.includes('--release')) {
  console.log('usage: npx tsx scripts/make-upgrade-fixture.ts --release <old checkout with node_modules> --name <label>\nwrites test/fixtures/upgrade-<label>.tar.gz and .answers.json');
  process.exit(args.includes('--help') ? 0 : 2);
}
const release = args[args.indexOf('--release') + 1]!;
const name = args.includes('--name') ? args[args.indexOf('--name') + 1]! : 'old';
const out = join(import.meta.dirname, '..', 'test', 'fixtures');
const data = mkdtempSync(join(tmpdir(), 'osprey-upgrade-'));
// A whole hour two days back: inside PutMetricData's two-week window and away from "now".
const base = Math.floor((Date.now() - 2 * 86_400_000) / 3_600_000) * 3_600_000;

const child = spawn(process.execPath, ['--import', 'tsx', join(release, 'src', 'main.ts'), 'serve', '--port', '0', '--emf-port', '0', '--data', data, '--modules', 'logs,cloudwatch'], {
  cwd: release, env: { ...process.env, OSPREY_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).on('line', (l) => {
  const m = /"msg":"osprey listening".*"url":"([^"]+)"|"url":"([^"]+)".*"msg":"osprey listening"/.exec(l);
  if (m) resolve(m[1] ?? m[2]!);
}));
const cfg = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const c = { logs: new CloudWatchLogsClient(cfg), cw: new CloudWatchClient(cfg) };
await writeFixtureData(c, base);
const answers = await readFixtureAnswers(c, base);
c.logs.destroy();
c.cw.destroy();
child.kill('SIGTERM');
await new Promise((r) => child.on('exit', r));
rmSync(join(data, 'osprey.pid'), { force: true });
execFileSync('tar', ['czf', join(out, `upgrade-${name}.tar.gz`), '-C', data, '.']);
writeFileSync(join(out, `upgrade-${name}.answers.json`), JSON.stringify({ release: name, base, answers }, null, 1) + '\n');
rmSync(data, { recursive: true, force: true });
console.log(`wrote test/fixtures/upgrade-${name}.tar.gz (base ${new Date(base).toISOString()})`);
