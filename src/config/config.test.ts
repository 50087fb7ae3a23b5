import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, effectiveAccessKeys, loadConfig } from './config.ts';

const file = (text: string) => {
  const p = join(mkdtempSync(join(tmpdir(), 'osprey-cfg-')), 'osprey.yaml');
  writeFileSync(p, text);
  return p;
};

test('defaults: 127.0.0.1:4566, ./data, the dev key', () => {
  const c = loadConfig({}, {});
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 4566);
  assert.ok(c.dataDir.endsWith('/data'));
  assert.deepEqual(effectiveAccessKeys(c).map((k) => [k.accessKeyId, k.accountId, k.principalArn]), [['test', '000000000000', 'arn:aws:iam::000000000000:root']]);
});

test('precedence: file < environment < flags', () => {
  const f = file('port: 5000\nlogLevel: debug\nretentionIntervalMs: 1000\n');
  const c = loadConfig({ configFile: f, port: 7000 }, { OSPREY_PORT: '6000', OSPREY_LOG_LEVEL: 'warn' });
  assert.equal(c.port, 7000);
  assert.equal(c.logLevel, 'warn');
  assert.equal(c.retentionIntervalMs, 1000);
  assert.equal(loadConfig({ configFile: f }, { OSPREY_PORT: '6000' }).port, 6000);
  assert.equal(loadConfig({ configFile: f }, {}).port, 5000);
});

test('binding beyond loopback without configured keys refuses to start', () => {
  assert.throws(() => loadConfig({ host: '0.0.0.0' }, {}), (e: Error) => e instanceof ConfigError && /refusing to listen on 0\.0\.0\.0/.test(e.message));
  const keys = JSON.stringify([{ accessKeyId: 'AKID1', secretAccessKey: 's', accountId: '123456789012' }]);
  const c = loadConfig({ host: '0.0.0.0' }, { OSPREY_ACCESS_KEYS: keys });
  assert.deepEqual(effectiveAccessKeys(c).map((k) => k.accountId), ['123456789012']);
});

test('bad values are clear errors', () => {
  assert.throws(() => loadConfig({}, { OSPREY_PORT: 'eighty' }), /OSPREY_PORT must be a non-negative integer/);
  assert.throws(() => loadConfig({ configFile: file('nope: 1\n') }, {}), /unknown config key "nope"/);
  assert.throws(() => loadConfig({}, { OSPREY_ACCESS_KEYS: '[{"accessKeyId":"a"}]' }), /12-digit accountId/);
  assert.throws(() => loadConfig({}, { OSPREY_LAMBDA_URLS: '{' }), /OSPREY_LAMBDA_URLS is not valid JSON/);
});

test('health: thresholds from the file or the environment, checked', () => {
  const c = loadConfig({ configFile: file('health:\n  diskFreePercent: 20\n  account: "123456789012"\n') }, { OSPREY_HEALTH_BACKLOG_SECONDS: '60' });
  assert.deepEqual(c.health, { intervalMs: 10_000, deliveryBacklogSeconds: 60, diskFreePercent: 20, account: '123456789012', eventRegion: 'us-east-1' });
  assert.throws(() => loadConfig({}, { OSPREY_HEALTH_DISK_FREE_PERCENT: '101' }), /must be 1-100/);
  assert.throws(() => loadConfig({ configFile: file('health:\n  nope: 1\n') }, {}), /unknown config key "health.nope"/);
  assert.throws(() => loadConfig({}, { OSPREY_HEALTH_ACCOUNT: 'ops' }), /health.account must be a 12-digit account id/);
});

test('selfMonitoring: on every minute by default; file keys, OSPREY_SELF_MONITORING_* overrides, bad values refused', () => {
  assert.deepEqual(loadConfig({}, {}).selfMonitoring, { enabled: true, intervalSeconds: 60, account: '', region: 'us-east-1' });
  const f = file('selfMonitoring:\n  intervalSeconds: 10\n  account: "123456789012"\n  region: eu-west-1\n');
  assert.deepEqual(loadConfig({ configFile: f }, { OSPREY_SELF_MONITORING_INTERVAL: '5' }).selfMonitoring,
    { enabled: true, intervalSeconds: 5, account: '123456789012', region: 'eu-west-1' });
  assert.equal(loadConfig({}, { OSPREY_SELF_MONITORING: 'false' }).selfMonitoring.enabled, false);
  assert.throws(() => loadConfig({}, { OSPREY_SELF_MONITORING_INTERVAL: '0' }), /OSPREY_SELF_MONITORING_INTERVAL must be a positive integer/);
  assert.throws(() => loadConfig({ configFile: file('selfMonitoring:\n  every: 3\n') }, {}), /unknown config key "selfMonitoring.every"/);
  assert.throws(() => loadConfig({}, { OSPREY_SELF_MONITORING_ACCOUNT: 'ops' }), /selfMonitoring.account must be a 12-digit account id/);
});
