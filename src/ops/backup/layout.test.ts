import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStoreEntry } from './layout.ts';

test('the stores, the ingest WAL, the lock and the node-home id are not copied as files; every other entry is', () => {
  for (const name of ['meta.sqlite', 'meta.sqlite-wal', 'meta.sqlite-shm', 'telemetry', 'wal', 'osprey.lock', 'osprey.lock-journal', 'osprey.pid', 'node-home', '.x.partial-1']) {
    assert.equal(isStoreEntry(name), true, name);
  }
  for (const name of ['keys', 'cloudtrail-log', 'synthetics', 'athena', 'telemetry-scope', 'some-new-module']) assert.equal(isStoreEntry(name), false, name);
});
