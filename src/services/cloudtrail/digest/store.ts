/**
 * The digest ledger in the metadata store: what delivery reported (files not yet in a digest) and each
 * (trail, region) chain's head and pending digest. See schema.ts for the exactly-once argument.
 */
import { gunzipSync } from 'node:zlib';
import { forUpdate } from '../../../store/meta/sql/locking.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';
import type { TrailRepo } from '../trails/types.ts';
import { logFileRegion, sha256Hex } from './format.ts';
import type { DeliveredLogFile, DigestLedger } from './ledger.ts';

export interface LedgerFile {
  bucket: string;
  key: string;
  /** Hex SHA-256 of the uncompressed log file. */
  hash: string;
  oldest: number;
  newest: number;
  deliveredAt: number;
}

export interface DigestRow {
  id: number;
  trailArn: string;
  region: string;
  state: 'pending' | 'written';
  bucket: string;
  key: string;
  endTime: number;
  /** Hex SHA-256 of the uncompressed digest JSON. */
  hash: string;
  signature: string;
  /** The gzip object, kept until it is written. */
  body?: Buffer;
}

/** A digest to record, built from the chain head and the files it will list. */
export type NewDigest = Omit<DigestRow, 'id' | 'trailArn' | 'region' | 'state'> & { body: Buffer };

interface RawDigest {
  id: number;
  trail_arn: string;
  region: string;
  state: 'pending' | 'written';
  bucket: string;
  key: string;
  end_time: number;
  hash: string;
  signature: string;
  body: Buffer | null;
}

const toRow = (r: RawDigest): DigestRow => ({
  id: r.id, trailArn: r.trail_arn, region: r.region, state: r.state, bucket: r.bucket, key: r.key,
  endTime: r.end_time, hash: r.hash, signature: r.signature, body: r.body ?? undefined,
});

export class DigestLedgerStore implements DigestLedger {
  constructor(private readonly db: Sql, private readonly trails: Pick<TrailRepo, 'get'>) {}

  async logFileDelivered(trailArn: string, file: DeliveredLogFile): Promise<void> {
    const trail = this.trails.get(trailArn);
    if (!trail?.logFileValidationEnabled) return;
    // validate-logs hashes the uncompressed file, so the digest must too.
    const hash = sha256Hex(gunzipSync(file.body));
    const region = logFileRegion(file.key) ?? trail.region;
    // A file rewritten before any digest listed it (delivery retried) is listed with its new bytes.
    await this.db.run(`INSERT INTO cloudtrail_digest_files (trail_arn, region, bucket, key, hash, oldest, newest, delivered_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (trail_arn, bucket, key) DO UPDATE SET hash = excluded.hash, oldest = excluded.oldest,
        newest = excluded.newest, delivered_at = excluded.delivered_at WHERE cloudtrail_digest_files.digest_id IS NULL`,
      [trailArn, region, file.bucket, file.key, hash, file.oldestEventTime, file.newestEventTime, file.deliveredAt]);
  }

  /** Regions with files waiting or a chain, for a trail. */
  async regions(trailArn: string): Promise<string[]> {
    const rows = await this.db.all<{ region: string }>(`SELECT region FROM cloudtrail_digest_files WHERE trail_arn = ?
      UNION SELECT region FROM cloudtrail_digests WHERE trail_arn = ? ORDER BY region`, [trailArn, trailArn]);
    return rows.map((r) => r.region);
  }

  /** Trails the ledger knows (to drop those deleted). */
  async trailArns(): Promise<string[]> {
    const rows = await this.db.all<{ trail_arn: string }>('SELECT trail_arn FROM cloudtrail_digest_files UNION SELECT trail_arn FROM cloudtrail_digests');
    return rows.map((r) => r.trail_arn);
  }

  pending(trailArn: string, region: string, tx: Sql = this.db): Promise<DigestRow | undefined> {
    return this.digest(tx, trailArn, region, 'pending');
  }

  head(trailArn: string, region: string, tx: Sql = this.db): Promise<DigestRow | undefined> {
    return this.digest(tx, trailArn, region, 'written');
  }

  async hasWaitingFiles(trailArn: string, region: string): Promise<boolean> {
    return (await this.db.get('SELECT 1 AS one FROM cloudtrail_digest_files WHERE trail_arn = ? AND region = ? AND digest_id IS NULL LIMIT 1',
      [trailArn, region])) !== undefined;
  }

  /**
   * In one transaction: unless a digest is already pending (then that one is returned), hands the
   * chain head and the waiting files to `build` and records what it returns as pending, with those
   * files assigned to it. `build` returns undefined to write nothing this time.
   */
  claim(trailArn: string, region: string, build: (head: DigestRow | undefined, files: LedgerFile[]) => NewDigest | undefined): Promise<DigestRow | undefined> {
    return this.db.transaction(async (tx) => {
      // Claims of one trail (from any node) take turns on its row: SQLite has one writer anyway.
      await tx.get(`SELECT arn FROM cloudtrail_trails WHERE arn = ?${forUpdate(tx)}`, [trailArn]);
      const pending = await this.pending(trailArn, region, tx);
      if (pending) return pending;
      const files = await tx.all<LedgerFile>(`SELECT bucket, key, hash, oldest, newest, delivered_at AS deliveredAt FROM cloudtrail_digest_files
        WHERE trail_arn = ? AND region = ? AND digest_id IS NULL ORDER BY delivered_at, key, bucket`, [trailArn, region]);
      const d = build(await this.head(trailArn, region, tx), files);
      if (!d) return undefined;
      const inserted = await tx.get<{ id: number }>(`INSERT INTO cloudtrail_digests (trail_arn, region, state, bucket, key, end_time, hash, signature, body)
        VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?) RETURNING id`, [trailArn, region, d.bucket, d.key, d.endTime, d.hash, d.signature, d.body]);
      await tx.run('UPDATE cloudtrail_digest_files SET digest_id = ? WHERE trail_arn = ? AND region = ? AND digest_id IS NULL',
        [inserted!.id, trailArn, region]);
      return this.pending(trailArn, region, tx);
    });
  }

  /** The digest's object is written: it becomes the chain head and its files are forgotten. */
  async written(id: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await tx.get<{ trail_arn: string; region: string; state: string }>(
        `SELECT trail_arn, region, state FROM cloudtrail_digests WHERE id = ?${forUpdate(tx)}`, [id]);
      // Already recorded (another process finished it): the head must stay.
      if (row?.state !== 'pending') return;
      await tx.run("DELETE FROM cloudtrail_digests WHERE trail_arn = ? AND region = ? AND state = 'written'", [row.trail_arn, row.region]);
      await tx.run("UPDATE cloudtrail_digests SET state = 'written', body = NULL WHERE id = ?", [id]);
      await tx.run('DELETE FROM cloudtrail_digest_files WHERE digest_id = ?', [id]);
    });
  }

  /** Ends a trail's chains (trail deleted or validation turned off): the next digest starts a new chain. */
  async forget(trailArn: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM cloudtrail_digest_files WHERE trail_arn = ?', [trailArn]);
      await tx.run('DELETE FROM cloudtrail_digests WHERE trail_arn = ?', [trailArn]);
    });
  }

  private async digest(sql: Sql, trailArn: string, region: string, state: 'pending' | 'written'): Promise<DigestRow | undefined> {
    const r = await sql.get<RawDigest>('SELECT * FROM cloudtrail_digests WHERE trail_arn = ? AND region = ? AND state = ? ORDER BY id DESC LIMIT 1',
      [trailArn, region, state]);
    return r ? toRow(r) : undefined;
  }
}
