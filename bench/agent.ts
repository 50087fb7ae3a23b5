/**
 * `npm run bench -- agent [--seconds 60] [--rate 1000]`: the agent's own footprint, as issue 19
 * measures it — host metrics (cpu, mem, disk, swap, netstat, processes) every 10 s and 5 log files
 * written at `rate` lines/s in total, against a real server. Reports the agent process's peak RSS and
 * CPU (% of one core, after a 5 s warm-up) and checks every line arrived exactly once.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ROOT, sdkConfig, startTestServer } from '../test/helpers/server.ts';
import { cpuSeconds, printTable } from './lib/stats.ts';

const FILES = 5;

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

const peakRssMb = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

async function countEvents(logs: CloudWatchLogsClient, group: string): Promise<number> {
  const streams = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams ?? [];
  let n = 0;
  for (const s of streams) {
    let token: string | undefined;
    for (;;) {
      const page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: s.logStreamName, startFromHead: true, nextToken: token, limit: 10_000 }));
      n += page.events?.length ?? 0;
      if (!page.events?.length || page.nextForwardToken === token) break;
      token = page.nextForwardToken;
    }
  }
  return n;
}

export async function run(args: string[]) {
  const seconds = arg(args, '--seconds', 60);
  const rate = arg(args, '--rate', 1000);
  const dir = mkdtempSync(join(tmpdir(), 'osprey-agent-bench-'));
  const server = await startTestServer({ modules: ['logs', 'cloudwatch'] });
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const cfg = {
    agent: { metrics_collection_interval: 10 },
    metrics: { metrics_collected: Object.fromEntries(['cpu', 'mem', 'disk', 'swap', 'netstat', 'processes'].map((i) => [i, { measurement: i === 'cpu' ? ['usage_active'] : i === 'netstat' ? ['tcp_established'] : i === 'processes' ? ['total'] : ['used_percent'] }])) },
    logs: { logs_collected: { files: { collect_list: Array.from({ length: FILES }, (_, i) => ({ file_path: join(dir, `app${i}.log`), log_group_name: `bench-agent-${i}` })) } } },
  };
  writeFileSync(join(dir, 'agent.json'), JSON.stringify(cfg));
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
  const agent = spawn(process.execPath, [join(ROOT, 'bin', 'osprey.js'), 'agent', '--config', join(dir, 'agent.json'), '--endpoint', server.url, '--state-dir', join(dir, 'state'), '--log-level', 'warn'],
    { cwd: ROOT, env, stdio: 'ignore' });
  let written = 0;
  try {
    await new Promise((r) => setTimeout(r, 3000));
    const perTick = rate / 10;
    const writer = setInterval(() => {
      for (let i = 0; i < perTick; i++, written++) appendFileSync(join(dir, `app${written % FILES}.log`), `${new Date().toISOString()} GET /api/items/${written} 200 12ms user=u${written % 97}\n`);
    }, 100);
    await new Promise((r) => setTimeout(r, 5000));
    const cpu0 = cpuSeconds(agent.pid!);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const cpuPct = (100 * (cpuSeconds(agent.pid!) - cpu0)) / ((Date.now() - t0) / 1000);
    clearInterval(writer);
    const rss = peakRssMb(agent.pid!);
    // Everything written must arrive, once: the 5 s flush plus a margin.
    let delivered = 0;
    for (let tries = 0; tries < 40; tries++) {
      await new Promise((r) => setTimeout(r, 1000));
      delivered = 0;
      for (let i = 0; i < FILES; i++) delivered += await countEvents(logs, `bench-agent-${i}`).catch(() => 0);
      if (delivered >= written) break;
    }
    const result = { seconds, linesPerSec: rate, files: FILES, agentPeakRssMb: Math.round(rss), agentCpuPercent: Math.round(cpuPct * 100) / 100, linesWritten: written, linesDelivered: delivered };
    printTable('osprey agent footprint (metrics every 10 s + 5 log files)', [
      { measure: `lines/s written (total over ${FILES} files)`, value: rate },
      { measure: 'agent peak RSS MB (target < 50)', value: result.agentPeakRssMb },
      { measure: 'agent CPU % of one core (target < 2)', value: result.agentCpuPercent },
      { measure: 'lines written / delivered', value: `${written} / ${delivered}` },
    ]);
    return result;
  } finally {
    agent.kill('SIGTERM');
    logs.destroy();
    await server.stop();
    server.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}
