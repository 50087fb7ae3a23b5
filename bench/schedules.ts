/**
 * schedules: N active EventBridge Scheduler schedules (`cron(* * * * ? *)`, one Lambda target each,
 * mapped to a local HTTP receiver) all due at the same second, every minute. For two consecutive
 * minutes it records each target's arrival minus the occurrence's scheduled time
 * (`<aws.scheduler.scheduled-time>` in the Input): the fire lateness plus the delivery queue.
 *
 * Options: --schedules N (10000) --minutes N (2); BENCH_PROF=1 writes the server's CPU profile to /tmp/prof.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer } from '../test/helpers/server.ts';
import { signedRestClient } from './lib/signed-rest-client.ts';
import { percentile, printTable } from './lib/stats.ts';

const FN = 'arn:aws:lambda:us-east-1:000000000000:function:tick';

export async function run(args: string[]) {
  const n = args.includes('--schedules') ? Number(args[args.indexOf('--schedules') + 1]) : 10_000;
  const minutes = args.includes('--minutes') ? Number(args[args.indexOf('--minutes') + 1]) : 2;
  const lateness: number[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      res.end();
      const { due } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { due: string };
      lateness.push(at - Date.parse(due));
    });
  });
  receiver.keepAliveTimeout = 60_000;
  receiver.listen(0, '127.0.0.1');
  await new Promise((r) => receiver.once('listening', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tick`;
  const server = await startTestServer({ modules: ['scheduler'], nodeArgs: process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [], env: { OSPREY_LAMBDA_URLS: JSON.stringify({ [FN]: url }) } });
  const client = signedRestClient(server.url, 'scheduler');
  try {
    const started = Date.now();
    let next = 0;
    const create = async () => {
      for (let k = next++; k < n; k = next++) {
        const res = await client.post(`/schedules/s${k}`, JSON.stringify({
          ScheduleExpression: 'cron(* * * * ? *)', FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: FN, RoleArn: 'arn:aws:iam::000000000000:role/scheduler', Input: '{"due":"<aws.scheduler.scheduled-time>"}' },
        }));
        if (res.status !== 200) throw new Error(`CreateSchedule s${k}: ${res.status} ${res.body}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, create));
    const createdIn = (Date.now() - started) / 1000;
    // Whole minutes of occurrences, after the one that may have been due while creating.
    const firstMinute = Math.ceil((Date.now() + 1000) / 60_000) * 60_000;
    await new Promise((r) => setTimeout(r, firstMinute - Date.now() - 500));
    lateness.length = 0;
    await new Promise((r) => setTimeout(r, minutes * 60_000 + 15_000));
    const sorted = lateness.filter((ms) => ms < 60_000).sort((a, b) => a - b);
    const result = {
      schedules: n, createdPerSec: Math.round(n / createdIn), fires: sorted.length,
      minMs: sorted[0], p50ms: percentile(sorted, 50), p99ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1],
      withinOneSecond: sorted.filter((ms) => ms < 1000).length,
    };
    printTable(`schedules (${n} Scheduler cron schedules due at the same second; scheduled time → target received)`, [
      { measure: 'CreateSchedule/s (8 lean clients)', value: result.createdPerSec },
      { measure: `fires received in ${minutes} minutes`, value: result.fires },
      { measure: 'lateness min ms', value: result.minMs },
      { measure: 'lateness p50 ms', value: result.p50ms },
      { measure: 'lateness p99 ms', value: result.p99ms },
      { measure: 'lateness max ms', value: result.maxMs },
      { measure: 'fires within 1 s', value: result.withinOneSecond },
    ]);
    return result;
  } finally {
    await server.stop();
    server.cleanup();
    receiver.close();
  }
}
