/**
 * `osprey backup`: online through the running server's admin endpoint when a server holds the data
 * directory (or --endpoint is given), else offline: this process takes the data-directory lock and
 * opens the stores itself (replaying the ingest WAL), like a server that serves nothing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { loadConfig, type OspreyConfig } from '../config/config.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/logger.ts';
import type { BackupSummary } from '../ops/backup/write-backup.ts';
import { ADMIN_BACKUP_PATH } from '../server/admin-route.ts';
import { lockDataDir } from '../server/data-dir-lock.ts';
import { StartupError } from '../server/startup-error.ts';

export interface BackupCliOptions {
  to: string;
  dataDir?: string;
  config?: string;
  endpoint?: string;
}

/** A failure the operator can act on from one line (exit 1). */
export class BackupCliError extends Error {}

/** Whether a server (another process) holds the data directory. */
function heldByServer(dataDir: string): boolean {
  try {
    lockDataDir(dataDir).release();
    return false;
  } catch (e) {
    if (e instanceof StartupError) return true;
    throw e;
  }
}

const serverUrl = (cfg: OspreyConfig): string => {
  const host = cfg.host === '0.0.0.0' || cfg.host === '::' ? '127.0.0.1' : cfg.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${cfg.port}`;
};

/** Asks the server at `endpoint` to write the backup, signed with AWS_ACCESS_KEY_ID / _SECRET_ACCESS_KEY (default test/test). */
export async function requestOnlineBackup(endpoint: string, to: string, env: NodeJS.ProcessEnv = process.env): Promise<BackupSummary> {
  const url = new URL(ADMIN_BACKUP_PATH, endpoint);
  const body = JSON.stringify({ to });
  const signer = new SignatureV4({
    service: 'osprey', region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1', sha256: Hash.bind(null, 'sha256'),
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'test', sessionToken: env.AWS_SESSION_TOKEN },
  });
  const signed = await signer.sign({
    method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port) || undefined, path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }, body,
  });
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: signed.headers, body });
  } catch (e) {
    throw new BackupCliError(`cannot reach the server at ${endpoint}: ${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let message = text;
    try {
      const j = JSON.parse(text) as { __type?: string; message?: string };
      message = `${j.__type ? `${j.__type}: ` : ''}${j.message ?? text}`;
    } catch {
      // not JSON: the text as it is
    }
    throw new BackupCliError(`the server refused the backup (HTTP ${res.status}): ${message}`);
  }
  return JSON.parse(text) as BackupSummary;
}

async function offlineBackup(cfg: OspreyConfig, to: string): Promise<BackupSummary> {
  // Loaded here: only this path maps the storage engines.
  const { openKernel } = await import('../server/env.ts');
  const { writeBackup } = await import('../ops/backup/write-backup.ts');
  const log = createLogger(process.env.OSPREY_LOG_LEVEL ?? 'warn');
  const kernel = await openKernel(cfg, systemClock, log);
  try {
    const e = kernel.env;
    return await writeBackup({ dataDir: e.dataDir, db: e.db, telemetry: e.telemetry, clock: systemClock, log }, to, 'offline');
  } finally {
    await kernel.close();
  }
}

export async function runBackup(o: BackupCliOptions): Promise<{ summary: BackupSummary; via: string }> {
  const cfg = loadConfig({ dataDir: o.dataDir, configFile: o.config });
  const to = resolve(o.to);
  if (o.endpoint !== undefined) return { summary: await requestOnlineBackup(o.endpoint, to), via: `server at ${o.endpoint}` };
  if (!existsSync(cfg.dataDir)) throw new BackupCliError(`no data directory at ${cfg.dataDir} (choose one with --data-dir)`);
  if (heldByServer(cfg.dataDir)) {
    const endpoint = serverUrl(cfg);
    return { summary: await requestOnlineBackup(endpoint, to), via: `server at ${endpoint}` };
  }
  return { summary: await offlineBackup(cfg, to), via: 'offline (data directory locked by this process)' };
}
