import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from './data-dir-lock.ts';
import { StartupError } from './startup-error.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'osprey-lock-'));

test('a locked data directory refuses a second lock with one line naming the holder pid', () => {
  const dir = tempDir();
  try {
    const lock = lockDataDir(dir);
    assert.throws(() => lockDataDir(dir), (e: unknown) =>
      e instanceof StartupError && e.message === `data directory ${dir} is in use by another Osprey process (pid ${process.pid}); ` +
        'stop it or choose another directory with --data / OSPREY_DATA');
    lock.release();
    assert.equal(existsSync(join(dir, 'osprey.pid')), false, 'release removes the pid file');
    lockDataDir(dir).release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a holder killed with SIGKILL leaves no stale lock: the directory can be locked again', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  const holder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
    `const { lockDataDir } = await import(${JSON.stringify(new URL('./data-dir-lock.ts', import.meta.url).href)});
     lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve) => holder.stdout!.on('data', (c: Buffer) => c.toString().includes('locked') && resolve()));
    assert.throws(() => lockDataDir(dir), new RegExp(`\\(pid ${holder.pid}\\)`));
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.on('exit', resolve));
    // The pid file is stale now; the lock itself died with the process.
    lockDataDir(dir).release();
  } finally {
    holder.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
