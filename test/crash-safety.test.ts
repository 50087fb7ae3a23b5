import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig } from './helpers/server.ts';
import { readAllForward } from './helpers/logs.ts';

// Ten kills in every run (the reliability bar); OSPREY_LONG=1 doubles it.
const ROUNDS = Number(process.env.OSPREY_LONG ? 20 : 10);

test(`SIGKILL during ingest ×${ROUNDS}: every acknowledged event survives`, { timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'osprey-crash-'));
  const acked: string[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const server = await startTestServer({ dataDir });
      const logs = new CloudWatchLogsClient(sdkConfig(server.url));
      if (round === 0) {
        await logs.send(new CreateLogGroupCommand({ logGroupName: '/crash' }));
        await logs.send(new CreateLogStreamCommand({ logGroupName: '/crash', logStreamName: 's' }));
      }
      // Everything acknowledged in earlier rounds must be here after the restart.
      const seen = await readAll(logs);
      assertContainsAll(seen, acked, round);

      // Several writers in flight when the kill lands, so some requests die mid-insert.
      let stop = false;
      let n = 0;
      const writer = async (w: number) => {
        while (!stop) {
          const batch = Array.from({ length: 200 }, (_, i) => ({ timestamp: Date.now(), message: `r${round}-w${w}-b${n}-${i}` }));
          n++;
          try {
            await logs.send(new PutLogEventsCommand({ logGroupName: '/crash', logStreamName: 's', logEvents: batch }));
            acked.push(...batch.map((e) => e.message));
          } catch {
            return; // the server died under us: this batch was never acknowledged
          }
        }
      };
      const writers = [0, 1, 2].map(writer);
      await new Promise((r) => setTimeout(r, 400 + round * 97));
      await server.kill();
      stop = true;
      await Promise.all(writers);
      logs.destroy();
    }
    const server = await startTestServer({ dataDir });
    const logs = new CloudWatchLogsClient(sdkConfig(server.url));
    const seen = await readAll(logs);
    assertContainsAll(seen, acked, ROUNDS);
    assert.ok(acked.length > 1000, `expected real ingest between kills, got ${acked.length} acknowledged events`);
    logs.destroy();
    await server.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

async function readAll(logs: CloudWatchLogsClient): Promise<string[]> {
  const events = await readAllForward((p) => logs.send(new GetLogEventsCommand({ logGroupName: '/crash', logStreamName: 's', ...p })));
  return events.map((e) => e.message!);
}

function assertContainsAll(seen: string[], acked: string[], round: number): void {
  const have = new Set(seen);
  const lost = acked.filter((m) => !have.has(m));
  assert.equal(lost.length, 0, `round ${round}: ${lost.length} acknowledged events lost, e.g. ${lost.slice(0, 3).join(', ')}`);
  assert.equal(have.size, seen.length, `round ${round}: duplicate events after restart`);
}
