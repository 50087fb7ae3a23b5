/**
 * Doctor's data-directory checks: free space, permissions, the lock holder, store schema versions
 * against this build's migrations, and the write-ahead backlog waiting to be replayed.
 */
import { constants, existsSync } from 'node:fs';
import { access, readdir, stat, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { OspreyConfig } from '../../config/config.ts';
import { lockDataDir } from '../../server/data-dir-lock.ts';
import { StartupError } from '../../server/startup-error.ts';
import { pendingSteps, readMetaVersions, readTelemetryVersions, unknownSteps } from '../schema-versions.ts';
import { DATA_TELEMETRY, DATA_WAL } from '../backup/layout.ts';
import { fail, ok, warn, type Check } from './check.ts';

const MiB = 1024 * 1024;
/** A WAL this large takes noticeable time to replay at the next start. */
const WAL_WARN_BYTES = 512 * MiB;

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

async function nearestExisting(p: string): Promise<string> {
  let at = p;
  while (!(await exists(at)) && dirname(at) !== at) at = dirname(at);
  return at;
}

export async function checkDisk(dataDir: string, minFreeMb: number): Promise<Check> {
  const at = await nearestExisting(dataDir);
  const s = await statfs(at);
  const free = s.bavail * s.bsize;
  const detail = `${Math.floor(free / MiB)} MiB free on the filesystem of ${at} (minimum ${minFreeMb} MiB)`;
  if (free < minFreeMb * MiB) return fail('disk', `${detail}: free space or move the data directory; ingest fails when the disk fills`);
  if (free < 2 * minFreeMb * MiB) return warn('disk', detail);
  return ok('disk', detail);
}

export async function checkPermissions(dataDir: string): Promise<Check[]> {
  if (!(await exists(dataDir))) {
    const parent = await nearestExisting(dataDir);
    const writable = await access(parent, constants.W_OK).then(() => true, () => false);
    return [writable
      ? warn('permissions', `${dataDir} does not exist yet; the server will create it (in ${parent}, writable)`)
      : fail('permissions', `${dataDir} does not exist and ${parent} is not writable by this user`)];
  }
  const checks: Check[] = [];
  const rw = await access(dataDir, constants.R_OK | constants.W_OK | constants.X_OK).then(() => true, () => false);
  checks.push(rw ? ok('permissions', `${dataDir} is readable and writable`) : fail('permissions', `${dataDir} is not readable and writable by this user (uid ${process.getuid?.() ?? '?'})`));
  const key = join(dataDir, 'keys', 'master.key');
  if (await exists(key)) {
    const mode = (await stat(key)).mode & 0o777;
    checks.push((mode & 0o077) === 0
      ? ok('permissions', 'keys/master.key is private (owner only)')
      : warn('permissions', `keys/master.key is mode ${mode.toString(8)}: others can read the encryption master key; chmod 600 it`));
  }
  return checks;
}

/** The lock holder; `held` tells the store checks not to open what a server has open. */
export function checkLock(dataDir: string): { check: Check; held: boolean } {
  if (!existsSync(dataDir)) return { check: ok('lock', 'no data directory yet, so no holder'), held: false };
  try {
    lockDataDir(dataDir).release();
    return { check: ok('lock', 'no Osprey process holds the data directory'), held: false };
  } catch (e) {
    if (e instanceof StartupError) return { check: ok('lock', e.message.replace(/; stop it.*$/, '')), held: true };
    return { check: fail('lock', `cannot take the data-directory lock: ${(e as Error).message}`), held: false };
  }
}

export function versionsCheck(name: string, unknown: string[], pending: string[], applied: string): Check {
  if (unknown.length > 0) return fail(name, `written by a newer Osprey: this build lacks ${unknown.join(', ')}; upgrade Osprey or restore an older backup`);
  if (pending.length > 0) return warn(name, `${applied}; ${pending.length} migration${pending.length === 1 ? '' : 's'} of this build pending (applied at the next start): ${pending.join(', ')}`);
  return ok(name, `${applied}; up to date with this build`);
}

export function checkMetaSchema(dataDir: string): Check {
  const file = join(dataDir, 'meta.sqlite');
  let db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    return ok('metadata schema', 'no meta.sqlite yet (a new data directory)');
  }
  try {
    const v = readMetaVersions(db);
    const modules = Object.entries(v.modules).map(([m, ids]) => `${m} ${Math.max(...ids)}`).join(', ');
    return versionsCheck('metadata schema', unknownSteps(v), pendingSteps(v), `core at ${Math.max(0, ...v.meta)}${modules ? `, modules: ${modules}` : ''}`);
  } catch (e) {
    return fail('metadata schema', `meta.sqlite cannot be read: ${(e as Error).message}`);
  } finally {
    db.close();
  }
}

/** Opens the embedded engine to read its versions: only when no server has it (chDB locks it). */
export async function checkTelemetrySchema(cfg: OspreyConfig, held: boolean): Promise<Check> {
  const name = 'telemetry schema';
  if (cfg.telemetry.kind !== 'chdb') return ok(name, `ClickHouse server ${cfg.telemetry.url}: checked by the server at start`);
  const path = join(cfg.dataDir, DATA_TELEMETRY);
  if (held) return ok(name, 'the running server holds the engine (it migrated it at start)');
  if (!(await exists(path))) return ok(name, 'no telemetry directory yet (a new data directory)');
  const { ChdbEngine } = await import('../../store/telemetry/engine.ts');
  let engine;
  try {
    engine = await ChdbEngine.open({ path });
    const telemetry = await readTelemetryVersions(engine);
    return versionsCheck(name, unknownSteps({ meta: [], telemetry }), pendingSteps({ meta: [], telemetry }).filter((s) => s.startsWith('telemetry')), `${telemetry.length} migrations applied, last ${telemetry.at(-1) ?? 'none'}`);
  } catch (e) {
    return fail(name, `the telemetry engine cannot be opened or read: ${(e as Error).message}`);
  } finally {
    await engine?.close();
  }
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (e.isFile()) total += (await stat(join(e.parentPath, e.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

export async function checkWalBacklog(dataDir: string): Promise<Check> {
  const bytes = await dirBytes(join(dataDir, DATA_WAL));
  const detail = `${(bytes / MiB).toFixed(1)} MiB in the ingest write-ahead logs (wal/), replayed at the next start`;
  return bytes > WAL_WARN_BYTES ? warn('wal', `${detail}: a large backlog means slow flushes or a slow replay`) : ok('wal', detail);
}
