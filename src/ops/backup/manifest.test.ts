import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupInvalidError, MANIFEST_FILE, verifyBackup, writeManifest } from './manifest.ts';

const ABOUT = { ospreyVersion: '0.1.0', createdAt: '2026-12-06T00:00:00.000Z', mode: 'offline' as const, sourceDataDir: '/data', schema: { meta: [1], modules: {}, telemetry: ['0001_log_events'] } };

function backupDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-manifest-'));
  writeFileSync(join(dir, 'meta.sqlite'), 'metadata');
  mkdirSync(join(dir, 'files', 'keys'), { recursive: true });
  writeFileSync(join(dir, 'files', 'keys', 'master.key'), 'secret');
  return dir;
}

test('a manifest lists every file with size and checksum, and verifies its own directory', async () => {
  const dir = backupDir();
  try {
    const m = await writeManifest(dir, ABOUT);
    assert.deepEqual(m.files.map((f) => [f.path, f.bytes]), [['files/keys/master.key', 6], ['meta.sqlite', 8]]);
    assert.deepEqual(await verifyBackup(dir), m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('verification names a changed, a missing and an unlisted file', async () => {
  const dir = backupDir();
  try {
    await writeManifest(dir, ABOUT);
    writeFileSync(join(dir, 'meta.sqlite'), 'metadatX');
    rmSync(join(dir, 'files', 'keys', 'master.key'));
    writeFileSync(join(dir, 'stray'), 'x');
    await assert.rejects(verifyBackup(dir), (e: Error) => e instanceof BackupInvalidError &&
      /\(3 problems\): stray: not in the manifest; files\/keys\/master.key: missing; meta.sqlite: checksum differs from the manifest$/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a directory without a manifest, or with another format version, is not restorable', async () => {
  const dir = backupDir();
  try {
    await assert.rejects(verifyBackup(dir), /is not an Osprey backup: no readable manifest.json/);
    await writeManifest(dir, ABOUT);
    const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { formatVersion: number };
    writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify({ ...m, formatVersion: 99 }));
    await assert.rejects(verifyBackup(dir), /backup format version 99 is not supported by this build \(it reads version 1\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
