import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import type { Message } from '@smithy/types';
import { loadModel } from './models/index.ts';
import { encodeEventStream, eventStreamMember, initialResponseFrame } from './event-stream.ts';

const codec = new EventStreamCodec(
  (b) => Buffer.from(b).toString('utf8'),
  (s) => Buffer.from(s, 'utf8'),
);
const logs = loadModel('logs');

const headersOf = (m: Message) => Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, v.value]));

async function frames(initial: Buffer | undefined, events: Record<string, unknown>[]): Promise<Message[]> {
  async function* source() {
    yield* events;
  }
  const out: Message[] = [];
  for await (const f of encodeEventStream(logs, 'StartLiveTailResponseStream', source(), initial)) out.push(codec.decode(f));
  return out;
}

test('StartLiveTailResponse finds its event stream member', () => {
  assert.deepEqual(eventStreamMember(logs, 'StartLiveTailResponse'), { name: 'responseStream', shape: 'StartLiveTailResponseStream' });
});

test('the awsJson initial-response message comes first, with the non-stream output members ({} for StartLiveTail)', async () => {
  const initial = initialResponseFrame(logs, 'StartLiveTailResponse', { responseStream: 'not encoded' }, 'application/x-amz-json-1.1');
  const [first, second] = await frames(initial, [{ sessionStart: { sessionId: 'abc' } }]);
  assert.deepEqual(headersOf(first), { ':message-type': 'event', ':event-type': 'initial-response', ':content-type': 'application/x-amz-json-1.1' });
  assert.equal(Buffer.from(first.body).toString('utf8'), '{}');
  assert.deepEqual(headersOf(second), { ':message-type': 'event', ':event-type': 'sessionStart', ':content-type': 'application/json' });
  assert.deepEqual(JSON.parse(Buffer.from(second.body).toString('utf8')), { sessionId: 'abc' });
});

test('without an initial response the first message is the first event; an exception ends the stream', async () => {
  const out = await frames(undefined, [
    { sessionUpdate: { sessionResults: [] } },
    { SessionTimeoutException: { message: 'done' } },
    { sessionUpdate: { sessionResults: [] } },
  ]);
  assert.deepEqual(out.map((m) => headersOf(m)[':event-type'] ?? headersOf(m)[':exception-type']), ['sessionUpdate', 'SessionTimeoutException']);
  assert.equal(headersOf(out[1])[':message-type'], 'exception');
});
