/**
 * canaries: Synthetics canaries on this machine. Ten heartbeat canaries (Osprey's heartbeat
 * blueprint against a local page, rate(1 minute)) run for a few minutes with the default two run
 * slots; reported: runs per canary and minute (target: every canary every minute, none skipped —
 * no overlap), CPU per run over the whole machine (canary process + Chromium + the server's part,
 * measured from /proc/stat minus an idle baseline; target < 3 s), run wall time and how long the
 * queue made the last canary of each minute wait.
 * Options: --canaries N (10) --minutes M (3)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { SyntheticsClient, CreateCanaryCommand, StartCanaryCommand, StopCanaryCommand, GetCanaryRunsCommand, GetCanaryCommand, type CanaryRun } from '@aws-sdk/client-synthetics';
import { startTestServer, sdkConfig } from '../test/helpers/server.ts';
import { findBlueprint, render } from '../src/services/synthetics/blueprints/index.ts';
import { percentile, printTable } from './lib/stats.ts';

/** Busy CPU seconds of the whole machine so far (all cores; /proc/stat is in USER_HZ = 1/100 s). */
function machineBusySeconds(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f as number[];
  return (user + nice + system + irq + softirq + (steal ?? 0)) / 100;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const arg = (args: string[], name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);

export async function run(args: string[]) {
  const n = arg(args, '--canaries', 10);
  const minutes = arg(args, '--minutes', 3);
  const site = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><head><title>Shop</title></head><body><h1>Shop</h1><p>Everything is fine.</p></body></html>');
  }).listen(0, '127.0.0.1');
  await new Promise((r) => site.once('listening', r));
  const url = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  const bucket = mkdtempSync(join(tmpdir(), 'osprey-bench-canaries-'));
  const server = await startTestServer({ modules: ['logs', 'cloudwatch', 'synthetics'], env: { OSPREY_EXPORT_BUCKETS: JSON.stringify({ 'bench-canaries': `file://${bucket}` }) } });
  const syn = new SyntheticsClient(sdkConfig(server.url));
  try {
    const idle0 = machineBusySeconds();
    await sleep(20_000);
    const idlePerSecond = (machineBusySeconds() - idle0) / 20;
    const bp = findBlueprint('heartbeat')!;
    const zip = zipSync({ [bp.fileName]: strToU8(render('heartbeat', { URLS: [url] })) });
    const names = Array.from({ length: n }, (_, i) => `bench-heartbeat-${i}`);
    for (const name of names) {
      await syn.send(new CreateCanaryCommand({
        Name: name, Code: { ZipFile: zip, Handler: bp.handler }, ArtifactS3Location: 's3://bench-canaries/runs', ExecutionRoleArn: 'arn:aws:iam::000000000000:role/bench',
        Schedule: { Expression: 'rate(1 minute)' }, RunConfig: { TimeoutInSeconds: 60 }, RuntimeVersion: 'syn-nodejs-puppeteer-9.1',
      }));
    }
    for (const name of names) {
      while ((await syn.send(new GetCanaryCommand({ Name: name }))).Canary?.Status?.State !== 'READY') await sleep(100);
    }
    const busy0 = machineBusySeconds();
    const t0 = Date.now();
    for (const name of names) await syn.send(new StartCanaryCommand({ Name: name }));
    await sleep(minutes * 60_000 - 5_000);
    for (const name of names) await syn.send(new StopCanaryCommand({ Name: name }));
    // Let the runs under way finish.
    for (const name of names) {
      while ((await syn.send(new GetCanaryCommand({ Name: name }))).Canary?.Status?.State !== 'STOPPED') await sleep(250);
    }
    const window = (Date.now() - t0) / 1000;
    const busy = machineBusySeconds() - busy0 - idlePerSecond * window;
    const runs: CanaryRun[] = [];
    for (const name of names) runs.push(...((await syn.send(new GetCanaryRunsCommand({ Name: name }))).CanaryRuns ?? []));
    const wall = runs.map((r) => r.Timeline!.Completed!.getTime() - r.Timeline!.Started!.getTime()).sort((a, b) => a - b);
    const byMinute = new Map<number, number[]>();
    for (const r of runs) {
      const m = Math.floor((r.Timeline!.Started!.getTime() - t0) / 60_000);
      byMinute.set(m, [...(byMinute.get(m) ?? []), r.Timeline!.Started!.getTime()]);
    }
    const spreads = [...byMinute.values()].map((ts) => (Math.max(...ts) - Math.min(...ts)) / 1000).sort((a, b) => a - b);
    const skipped = server.logs.filter((l) => l.includes('this occurrence is skipped')).length;
    const passed = runs.filter((r) => r.Status?.State === 'PASSED').length;
    const result = {
      canaries: n, minutes, runs: runs.length, passed, skippedOccurrences: skipped, expectedRuns: n * minutes,
      cpuSecondsPerRun: +(busy / runs.length).toFixed(2), idleCpuPerSecond: +idlePerSecond.toFixed(3),
      wallMs: { p50: percentile(wall, 50), p95: percentile(wall, 95), max: wall.at(-1) },
      queueSpreadSeconds: { p50: percentile(spreads, 50), max: spreads.at(-1) },
    };
    printTable(`canaries: ${n} heartbeat canaries at rate(1 minute) for ${minutes} minutes, 2 run slots`, [
      { metric: 'runs (passed / expected)', value: `${runs.length} (${passed} / ${n * minutes})` },
      { metric: 'occurrences skipped (previous run still busy)', value: skipped },
      { metric: 'CPU per run (machine-wide, idle baseline removed)', value: `${result.cpuSecondsPerRun} s (target < 3 s)` },
      { metric: 'run wall time p50 / p95 / max', value: `${wall.length ? percentile(wall, 50) : '-'} / ${percentile(wall, 95)} / ${wall.at(-1)} ms` },
      { metric: 'queue: last start − first start within a minute, p50 / max', value: `${result.queueSpreadSeconds.p50} / ${result.queueSpreadSeconds.max} s` },
    ]);
    return result;
  } finally {
    await server.stop();
    server.cleanup();
    site.close();
  }
}
