import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  StartLiveTailCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';

let server: TestServer;
let logs: CloudWatchLogsClient;
let tail: CloudWatchLogsClient;

before(async () => {
  server = await startTestServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  // StartLiveTail carries hostPrefix "stream-": with a local endpoint the SDK must not prepend it
  // (protocols.md §6).
  tail = new CloudWatchLogsClient({ ...sdkConfig(server.url), disableHostPrefix: true });
});
after(async () => {
  logs?.destroy();
  tail?.destroy();
  await server?.stop();
  server?.cleanup();
});

test('StartLiveTail streams matching events to SDK v3 as they are put', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/tail/g' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/tail/g', logStreamName: 's' }));
  const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:/tail/g';
  const abort = new AbortController();
  const res = await tail.send(new StartLiveTailCommand({ logGroupIdentifiers: [arn], logEventFilterPattern: 'ERROR' }), { abortSignal: abort.signal });
  const seen: string[] = [];
  let started = false;
  const putter = (async () => {
    await new Promise((r) => setTimeout(r, 300));
    const now = Date.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: '/tail/g', logStreamName: 's', logEvents: [
      { timestamp: now, message: 'ERROR one' }, { timestamp: now, message: 'INFO skip' }, { timestamp: now + 1, message: 'ERROR two' },
    ] }));
  })();
  const kinds: string[] = [];
  for await (const ev of res.responseStream!) {
    kinds.push(...Object.keys(ev));
    if (ev.sessionStart) {
      started = true;
      assert.deepEqual(ev.sessionStart.logGroupIdentifiers, [arn]);
      assert.ok(ev.sessionStart.sessionId);
    }
    if (ev.sessionUpdate) {
      for (const r of ev.sessionUpdate.sessionResults ?? []) {
        assert.equal(r.logGroupIdentifier, arn);
        assert.equal(r.logStreamName, 's');
        seen.push(r.message!);
      }
      if (seen.length >= 2) break;
    }
  }
  abort.abort();
  await putter;
  assert.ok(started);
  // The initial-response message (sent for botocore) is the SDK's initial output, not an event.
  assert.equal(kinds[0], 'sessionStart');
  assert.deepEqual(seen, ['ERROR one', 'ERROR two']);
});

test('StartLiveTail on a missing group is ResourceNotFoundException', async () => {
  await assert.rejects(
    tail.send(new StartLiveTailCommand({ logGroupIdentifiers: ['arn:aws:logs:us-east-1:000000000000:log-group:/nope'] })),
    ResourceNotFoundException,
  );
});
