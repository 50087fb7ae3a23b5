import { test } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock } from '../lib/clock.ts';
import { silentLogger } from '../lib/logger.ts';
import { isServiceError } from '../protocol/errors.ts';
import type { Ctx, Handler } from '../protocol/service.ts';
import { internalCalls } from './internal-calls.ts';

const ctx: Ctx = { account: '000000000000', region: 'us-east-1', principalArn: 'arn:aws:iam::000000000000:root', accessKeyId: '', requestId: 'r', clock: systemClock, log: silentLogger };

test('an internal call runs the handler with the input and returns its output', async () => {
  const seen: unknown[] = [];
  const handlers: Record<string, Handler> = { CreateLogGroup: (_c, input) => { seen.push(input); return {}; } };
  const { call } = internalCalls({ logs: handlers });
  assert.deepEqual(await call('logs', 'CreateLogGroup', ctx, { logGroupName: '/ok' }), {});
  assert.deepEqual(seen, [{ logGroupName: '/ok' }]);
});

test('an internal call is validated against the model like a wire request, before the handler runs', async () => {
  let ran = false;
  const { call, check } = internalCalls({ logs: { CreateLogGroup: () => { ran = true; } } });
  await assert.rejects(call('logs', 'CreateLogGroup', ctx, { logGroupName: 'has space' }), (e) => isServiceError(e) && e.code === 'InvalidParameterException');
  assert.equal(ran, false);
  assert.equal(check('logs', 'CreateLogGroup', { logGroupName: 'has space' })?.code, 'InvalidParameterException');
  assert.equal(check('logs', 'CreateLogGroup', { logGroupName: '/fine' }), undefined);
});

test('an operation without a handler (or a service not loaded) answers NotImplemented', async () => {
  const { call } = internalCalls({});
  await assert.rejects(call('sns', 'Publish', ctx, { TopicArn: 'arn:aws:sns:us-east-1:000000000000:t', Message: 'm' }),
    (e) => isServiceError(e) && e.code === 'NotImplemented' && e.status === 501);
});
