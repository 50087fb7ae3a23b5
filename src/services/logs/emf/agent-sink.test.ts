import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { internalCalls, untypedTable } from '../../../server/internal-calls.ts';
import { AGENT_DEFAULT_LOG_GROUP, EmfAgentSink, type AgentLogsApi, type InputLogEvent } from './agent-sink.ts';

const capture = readFileSync(new URL('../../../../../shared/protocol-captures/emf-output.txt', import.meta.url), 'utf8');
const received = capture.split('\n').filter((l) => l.startsWith('{"proto"')).map((l) => JSON.parse(l) as { proto: string; raw: string });

interface Put { group: string; stream: string; events: InputLogEvent[]; account: string; region: string }

/**
 * A fake Logs API with the real one's error behaviour for existing / missing resources, behind the
 * real internal-call path (so inputs are validated against the model as the server's are).
 */
function fakeApi() {
  const groups = new Map<string, Set<string>>();
  const calls: string[] = [];
  const puts: Put[] = [];
  const handlers = {
    CreateLogGroup: (_ctx: Ctx, { logGroupName }: { logGroupName: string }) => {
      calls.push(`CreateLogGroup ${logGroupName}`);
      if (groups.has(logGroupName)) throw new ServiceError('ResourceAlreadyExistsException', 'The specified log group already exists');
      groups.set(logGroupName, new Set());
    },
    CreateLogStream: (_ctx: Ctx, { logGroupName, logStreamName }: { logGroupName: string; logStreamName: string }) => {
      calls.push(`CreateLogStream ${logGroupName} ${logStreamName}`);
      const g = groups.get(logGroupName);
      if (!g) throw new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
      if (g.has(logStreamName)) throw new ServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists');
      g.add(logStreamName);
    },
    PutLogEvents: (ctx: Ctx, { logGroupName, logStreamName, logEvents }: { logGroupName: string; logStreamName: string; logEvents: InputLogEvent[] }) => {
      calls.push(`PutLogEvents ${logGroupName} ${logStreamName} ${logEvents.length}`);
      if (!groups.get(logGroupName)?.has(logStreamName)) throw new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
      puts.push({ group: logGroupName, stream: logStreamName, events: logEvents, account: ctx.account, region: ctx.region });
      return {};
    },
  };
  const internal = internalCalls({ logs: untypedTable(handlers) });
  const api: AgentLogsApi = {
    call: (op, ctx, input) => internal.call('logs', op, ctx, input),
    check: (op, input) => internal.check('logs', op, input),
  };
  return { api, calls, puts, groups };
}

function sink(api: AgentLogsApi, clock = new ManualClock(1_795_318_700_000)) {
  return new EmfAgentSink({ api, account: '000000000000', region: 'us-east-1', clock, log: silentLogger, defaultLogStream: 'host-1', flushIntervalMs: 60_000 });
}

test('captured Agent-mode documents land in their _aws.LogGroupName/LogStreamName, created once', async () => {
  const { api, calls, puts } = fakeApi();
  const s = sink(api);
  for (const r of received) for (const line of r.raw.split('\n')) s.accept(line);
  await s.flush();
  assert.deepEqual(calls, [
    'CreateLogGroup /emf/demo', 'CreateLogStream /emf/demo stream-1', 'PutLogEvents /emf/demo stream-1 2',
    'CreateLogGroup checkout-svc-metrics', 'CreateLogStream checkout-svc-metrics host-1', 'PutLogEvents checkout-svc-metrics host-1 2',
  ]);
  const tcpDocs = received[0]!.raw.split('\n').filter(Boolean);
  assert.deepEqual(puts[0]!.events, tcpDocs.map((m) => ({ timestamp: (JSON.parse(m) as { _aws: { Timestamp: number } })._aws.Timestamp, message: m })));
  assert.equal(puts[0]!.account, '000000000000');
  assert.equal(puts[0]!.region, 'us-east-1');

  // Later documents for known destinations go straight to PutLogEvents.
  s.accept(tcpDocs[0]!);
  await s.flush();
  assert.equal(calls.at(-1), 'PutLogEvents /emf/demo stream-1 1');
  assert.equal(calls.length, 7);
});

test('documents without destination go to the agent defaults; without a timestamp they take the arrival time', async () => {
  const { api, puts } = fakeApi();
  const clock = new ManualClock(1_795_318_700_000);
  const s = sink(api, clock);
  s.accept('{"_aws":{"CloudWatchMetrics":[]},"x":1}');
  s.accept('{"plain":"json"}\r');
  s.accept('{"_aws":{"Timestamp":1795318600000,"LogGroupName":"","LogStreamName":7}}');
  await s.flush();
  assert.equal(AGENT_DEFAULT_LOG_GROUP, 'emf/logs/default');
  assert.deepEqual(puts.map((p) => [p.group, p.stream, p.events.map((e) => e.timestamp)]), [
    ['emf/logs/default', 'host-1', [1_795_318_600_000, 1_795_318_700_000, 1_795_318_700_000]],
  ]);
  // Sorted chronologically, arrival order kept for equal times; the \r of a CRLF line is not stored.
  assert.deepEqual(puts[0]!.events.map((e) => e.message), [
    '{"_aws":{"Timestamp":1795318600000,"LogGroupName":"","LogStreamName":7}}', '{"_aws":{"CloudWatchMetrics":[]},"x":1}', '{"plain":"json"}',
  ]);
});

test('lines that are not JSON objects, and names the API refuses, are dropped without stopping the rest', async () => {
  const { api, calls, puts } = fakeApi();
  const s = sink(api);
  for (const bad of ['not json', '[1,2]', '"str"', '{"_aws":{"LogGroupName":"has space"}}', '{"_aws":{"LogGroupName":"/ok","LogStreamName":"a:b"}}']) s.accept(bad);
  s.accept('{"_aws":{"LogGroupName":"/ok"}}');
  s.accept('   ');
  await s.flush();
  assert.deepEqual(puts.map((p) => [p.group, p.events.length]), [['/ok', 1]]);
  assert.ok(!calls.some((c) => c.includes('has space') || c.includes('a:b')));
  assert.deepEqual(s.stats(), { documents: 6, dropped: 5, stored: 1, rejected: 0 });
});

test('a group deleted behind the sink\'s back is created again', async () => {
  const { api, calls, groups } = fakeApi();
  const s = sink(api);
  s.accept('{"_aws":{"LogGroupName":"/g","LogStreamName":"s"}}');
  await s.flush();
  groups.delete('/g');
  s.accept('{"_aws":{"LogGroupName":"/g","LogStreamName":"s"}}');
  await s.flush();
  assert.deepEqual(calls.slice(3), ['PutLogEvents /g s 1', 'CreateLogGroup /g', 'CreateLogStream /g s', 'PutLogEvents /g s 1']);
});

test('a full batch is sent without waiting for the timer; close() sends the rest and refuses more', async () => {
  const { api, puts } = fakeApi();
  const s = sink(api);
  for (let i = 0; i < 10_001; i++) s.accept(`{"_aws":{"LogGroupName":"/big","Timestamp":${1_795_318_000_000 + i}},"i":${i}}`);
  await new Promise((r) => setImmediate(r));
  await s.close();
  assert.deepEqual(puts.map((p) => p.events.length), [10_000, 1]);
  s.accept('{"_aws":{"LogGroupName":"/big"}}');
  await s.flush();
  assert.equal(puts.length, 2);
});

test('the flush timer sends buffered documents on its own', async () => {
  const { api, puts } = fakeApi();
  const s = new EmfAgentSink({ api, account: '1', region: 'r', clock: new ManualClock(1_795_318_700_000), log: silentLogger, flushIntervalMs: 5 });
  s.accept('{"_aws":{"LogGroupName":"/timer"}}');
  for (let i = 0; i < 100 && puts.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(puts.length, 1);
  await s.close();
});

