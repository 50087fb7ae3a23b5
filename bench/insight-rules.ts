/**
 * insight-rules: GetInsightRuleReport over N contributions (default 10 M events a rule counted in
 * the window, 24 h, 100,000 distinct contributors with a skewed distribution) — top 10 by Sum at a
 * 5-minute period with every rule metric. The contributions are generated inside the engine while
 * the server is stopped (ingesting 10 M events over HTTP would take minutes and measure ingest);
 * the rule itself is created through the API. Target: < 1 s.
 * Options: --rows N (10000000)
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudWatchClient, GetInsightRuleReportCommand, PutInsightRuleCommand } from '@aws-sdk/client-cloudwatch';
import { startTestServer, sdkConfig } from '../test/helpers/server.ts';
import { percentile, printTable } from './lib/stats.ts';

const here = dirname(fileURLToPath(import.meta.url));

export async function run(args: string[]) {
  const i = args.indexOf('--rows');
  const rows = i >= 0 ? Number(args[i + 1]) : 10_000_000;
  const end = Date.now() - 60_000;
  const start = end - 24 * 3_600_000;
  let server = await startTestServer({ modules: ['logs', 'cloudwatch'] });
  const dataDir = server.dataDir;
  let cw = new CloudWatchClient(sdkConfig(server.url));
  await cw.send(new PutInsightRuleCommand({
    RuleName: 'bytes-by-ip',
    RuleDefinition: JSON.stringify({ Schema: { Name: 'CloudWatchLogRule', Version: 1 }, LogGroupNames: ['/web/*'], LogFormat: 'JSON',
      Contribution: { Keys: ['$.ip'], ValueOf: '$.bytes' }, AggregateOn: 'Sum' }),
  }));
  cw.destroy();
  await server.stop();
  const db = new Database(join(dataDir, 'meta.sqlite'), { readonly: true });
  const ruleId = (db.prepare('SELECT id FROM cw_insight_rules WHERE name = ?').get('bytes-by-ip') as { id: string }).id;
  db.close();
  const t0 = performance.now();
  execFileSync(process.execPath, ['--import', 'tsx', '-e', `
    import { ChdbEngine } from './src/store/telemetry/engine.ts';
    const e = await ChdbEngine.open({ path: ${JSON.stringify(join(dataDir, 'telemetry'))} });
    await e.exec(\`INSERT INTO insight_contributions (account, region, rule, ts, key, value)
      SELECT '000000000000', 'us-east-1', {rule:String}, {start:Int64} + intDiv(number * {span:Int64}, {rows:Int64}),
        concat('["10.', toString(intDiv(k, 65536) % 256), '.', toString(intDiv(k, 256) % 256), '.', toString(k % 256), '"]'),
        toFloat64(cityHash64(number, 2) % 5000)
      FROM (SELECT number, toUInt64(pow(cityHash64(number) % 1000000 / 1000000, 3) * 100000) AS k FROM numbers({rows:UInt64}))\`,
      { rule: ${JSON.stringify(ruleId)}, start: ${start}, span: ${end - start}, rows: ${rows} });
    await e.close();`], { cwd: join(here, '..'), stdio: 'inherit' });
  const generateSeconds = (performance.now() - t0) / 1000;
  server = await startTestServer({ dataDir, modules: ['logs', 'cloudwatch'] });
  cw = new CloudWatchClient(sdkConfig(server.url));
  try {
    const report = async (metrics?: string[]) => {
      const t = performance.now();
      const r = await cw.send(new GetInsightRuleReportCommand({
        RuleName: 'bytes-by-ip', StartTime: new Date(start), EndTime: new Date(end + 60_000), Period: 300, MaxContributorCount: 10, Metrics: metrics,
      }));
      return { ms: performance.now() - t, r };
    };
    const measure = async (metrics?: string[]) => {
      const first = await report(metrics);
      const times: number[] = [];
      for (let k = 0; k < 5; k++) times.push((await report(metrics)).ms);
      times.sort((a, b) => a - b);
      return { firstMs: Math.round(first.ms), p50ms: Math.round(percentile(times, 50)), maxMs: Math.round(times.at(-1)!), contributors: first.r.ApproximateUniqueCount ?? 0 };
    };
    const top = await measure();
    const withMetrics = await measure(['UniqueContributors', 'SampleCount', 'Sum', 'Average']);
    const withMax = await measure(['UniqueContributors', 'MaxContributorValue']);
    const out = { rows, generateSeconds: +generateSeconds.toFixed(1), report: top, reportWithMetrics: withMetrics, reportWithMaxContributor: withMax };
    const row = (what: string, m: typeof top) => ({ report: what, first: `${m.firstMs} ms`, p50: `${m.p50ms} ms`, max: `${m.maxMs} ms`, contributors: m.contributors });
    printTable(`GetInsightRuleReport over ${rows.toLocaleString('en-US')} contributions (24 h, period 300 s, top 10 by Sum)`, [
      row('top 10 + their datapoints', top), row('+ UniqueContributors, SampleCount, Sum, Average', withMetrics), row('+ MaxContributorValue', withMax),
    ]);
    return out;
  } finally {
    cw.destroy();
    await server.stop();
    server.cleanup();
  }
}
