import assert from 'node:assert/strict';
import { test } from 'node:test';
import { watchdogDelay } from './canary-run.ts';
import { prepareRequest } from './http-step.ts';
import { runMarker, withRequiredArgs } from './launch-options.ts';

test('requestOptions may be a URL string or http.request options with a body', () => {
  assert.deepEqual(prepareRequest('http://127.0.0.1:8080/a?b=1'), {
    url: 'http://127.0.0.1:8080/a?b=1',
    options: { protocol: 'http:', hostname: '127.0.0.1', port: '8080', path: '/a?b=1', method: 'GET' },
  });
  const p = prepareRequest({ hostname: 'api.example.com', path: '/items', method: 'POST', body: { a: 1 } });
  assert.equal(p.url, 'https://api.example.com/items');
  assert.equal(p.options.protocol, 'https:');
  assert.equal(p.body, '{"a":1}');
  assert.equal('body' in p.options, false);
});

test('the watchdog fires a little before the server\'s kill', () => {
  const startedAt = '2024-01-01T00:00:00.000Z';
  const t0 = Date.parse(startedAt);
  assert.equal(watchdogDelay({ startedAt, timeoutMs: 60_000 }, t0 + 1000), 57_000);
  assert.equal(watchdogDelay({ startedAt, timeoutMs: 10_000 }, t0), 9000);
  assert.equal(watchdogDelay({ startedAt, timeoutMs: 10_000 }, t0 + 20_000), 0);
});

test('a script\'s own browser args keep --no-sandbox and the run marker', () => {
  assert.deepEqual(withRequiredArgs(['--no-sandbox', '--lang=fr'], 'r1'), ['--no-sandbox', '--lang=fr', '--disable-dev-shm-usage', runMarker('r1')]);
  assert.equal(withRequiredArgs(undefined, 'r1'), undefined);
});
