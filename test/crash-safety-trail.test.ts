// SIGKILL while API calls are in flight: after every restart, each acknowledged call's CloudTrail
// record is in event history, exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig } from './helpers/server.ts';

const ROUNDS = Number(process.env.OSPREY_LONG ? 10 : 4);

test(`SIGKILL during API calls ×${ROUNDS}: every acknowledged call's record survives, once`, { timeout: 300_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'osprey-crash-trail-'));
  const acked: string[] = [];
  try {
    for (let round = 0; round <= ROUNDS; round++) {
      const server = await startTestServer({ dataDir, modules: ['logs', 'cloudtrail'] });
      const logs = new CloudWatchLogsClient(sdkConfig(server.url));
      const ct = new CloudTrailClient(sdkConfig(server.url));
      await assertAllRecorded(ct, acked, round);
      if (round === ROUNDS) {
        await server.stop();
        break;
      }
      let stop = false;
      let n = 0;
      const caller = async (w: number) => {
        while (!stop) {
          const name = `r${round}-w${w}-${n++}`;
          try {
            await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
            acked.push(name);
          } catch {
            return; // killed under us: never acknowledged
          }
        }
      };
      const callers = [0, 1, 2, 3].map(caller);
      await new Promise((r) => setTimeout(r, 300 + round * 113));
      await server.kill();
      stop = true;
      await Promise.all(callers);
      logs.destroy();
      ct.destroy();
    }
    assert.ok(acked.length > 50, `expected real traffic between kills, got ${acked.length} acknowledged calls`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

async function assertAllRecorded(ct: CloudTrailClient, acked: string[], round: number): Promise<void> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateLogGroup' }], NextToken: token }));
    for (const e of page.Events ?? []) names.push(JSON.parse(e.CloudTrailEvent!).requestParameters.logGroupName);
    token = page.NextToken;
  } while (token);
  const have = new Set(names);
  const lost = acked.filter((m) => !have.has(m));
  assert.equal(lost.length, 0, `round ${round}: ${lost.length} acknowledged calls have no record, e.g. ${lost.slice(0, 3).join(', ')}`);
  assert.equal(have.size, names.length, `round ${round}: duplicate records after restart`);
}
