/**
 * `POST /_osprey/admin/backup`: the running server writes a backup of its own data directory
 * (src/ops/backup), because only the process holding the stores can snapshot them consistently.
 *
 * Who may call it: a request signed (SigV4) with a key of the admin account — the account of the
 * first configured access key (the dev key's 000000000000 by default). Tenants' keys get 403
 * AccessDeniedException: a backup copies every account's data and writes where the server can.
 * Body: `{"to": "/absolute/dir"}` (a path on the server's machine). One backup at a time.
 */
import { isAbsolute } from 'node:path';
import { operatorAccount, type OspreyConfig } from '../config/config.ts';
import { BackupRefusedError, writeBackup, type BackupSource } from '../ops/backup/write-backup.ts';
import type { HttpRoute } from './module.ts';

export const ADMIN_BACKUP_PATH = '/_osprey/admin/backup';

type Answer = Awaited<ReturnType<HttpRoute['handle']>>;

const json = (status: number, body: unknown): Answer =>
  ({ status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const error = (status: number, type: string, message: string): Answer => json(status, { __type: type, message });

/** The account whose keys may administer the server. */
export const adminAccount = operatorAccount;

function parseTarget(body: Buffer): string | Answer {
  let to: unknown;
  try {
    to = (JSON.parse(body.toString('utf8') || '{}') as { to?: unknown }).to;
  } catch {
    return error(400, 'ValidationException', 'body must be JSON: {"to": "/absolute/backup/dir"}');
  }
  if (typeof to !== 'string' || !isAbsolute(to)) return error(400, 'ValidationException', '"to" must be an absolute directory path on the server\'s machine');
  return to;
}

export function adminBackupRoute(cfg: OspreyConfig, src: BackupSource): HttpRoute {
  let running = false;
  return {
    method: 'POST',
    prefix: ADMIN_BACKUP_PATH,
    auth: 'sigv4',
    async handle(_path, body, req) {
      const admin = adminAccount(cfg);
      if (req.identity?.accountId !== admin) {
        return error(403, 'AccessDeniedException', `only keys of the admin account ${admin} may take backups; ${req.identity?.principalArn ?? 'this caller'} is not one`);
      }
      const to = parseTarget(body);
      if (typeof to !== 'string') return to;
      if (running) return error(409, 'ConflictException', 'a backup is already running on this server; retry when it has finished');
      running = true;
      try {
        return json(200, await writeBackup(src, to, 'online'));
      } catch (e) {
        if (e instanceof BackupRefusedError) return error(400, 'ValidationException', e.message);
        src.log.error({ err: e, to }, 'backup failed');
        return error(500, 'InternalFailure', `backup failed: ${(e as Error).message}`);
      } finally {
        running = false;
      }
    },
  };
}
