/**
 * One Osprey process per data directory. The lock is an exclusive SQLite transaction on
 * `<data>/osprey.lock`, held open for the life of the server: the kernel drops it when the process
 * ends, however it ends (kill -9 included), so there is never a stale lock to clean up, and a
 * recycled pid (pid 1 in every container) cannot be mistaken for a running server.
 * `<data>/osprey.pid` names the holder, so a second server can say who has the directory instead
 * of failing deep inside chDB with "Cannot lock file …/telemetry/status".
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StartupError } from './startup-error.ts';

export interface DataDirLock {
  /** Releases the directory (the process ending does too). */
  release(): void;
}

const isBusy = (e: unknown): boolean => /^SQLITE_(BUSY|LOCKED)/.test(String((e as { code?: unknown })?.code ?? ''));

function readHolderPid(pidPath: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidPath, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the data directory (which must exist) or throws a StartupError naming the holder's pid. */
export function lockDataDir(dataDir: string): DataDirLock {
  const pidPath = join(dataDir, 'osprey.pid');
  // timeout 0: a held lock is an answer now, not something to wait 5 s for.
  const db = new Database(join(dataDir, 'osprey.lock'), { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    // Never committed: the transaction is the lock.
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db.close();
    if (!isBusy(e)) throw e;
    const pid = readHolderPid(pidPath);
    throw new StartupError(
      `data directory ${dataDir} is in use by another Osprey process${pid === undefined ? '' : ` (pid ${pid})`}; ` +
      'stop it or choose another directory with --data / OSPREY_DATA',
      { cause: e },
    );
  }
  const mine = `${process.pid}\n`;
  writeFileSync(pidPath, mine);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      if (readHolderPid(pidPath) === process.pid) rmSync(pidPath, { force: true });
      db.close();
    },
  };
}
