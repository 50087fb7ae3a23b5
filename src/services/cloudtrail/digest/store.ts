/**
 * The digest ledger over SQLite: what delivery reported (files not yet in a digest) and each
 * (trail, region) chain's head and pending digest. See schema.ts for the exactly-once argument.
 */
import { gunzipSync } from 'node:zlib';
import { PreparedStatements, type Db } from '../../../store/meta/db.ts';
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

export class SqliteDigestLedger implements DigestLedger {
  private readonly st: PreparedStatements;

  constructor(private readonly db: Db, private readonly trails: Pick<TrailRepo, 'get'>) {
    this.st = new PreparedStatements(db);
  }

  logFileDelivered(trailArn: string, file: DeliveredLogFile): void {
    const trail = this.trails.get(trailArn);
    if (!trail?.logFileValidationEnabled) return;
    // validate-logs hashes the uncompressed file, so the digest must too.
    const hash = sha256Hex(gunzipSync(file.body));
    const region = logFileRegion(file.key) ?? trail.region;
    // A file rewritten before any digest listed it (delivery retried) is listed with its new bytes.
    this.st.get(`INSERT INTO cloudtrail_digest_files (trail_arn, region, bucket, key, hash, oldest, newest, delivered_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (trail_arn, bucket, key) DO UPDATE SET hash = excluded.hash, oldest = excluded.oldest,
        newest = excluded.newest, delivered_at = excluded.delivered_at WHERE digest_id IS NULL`)
      .run(trailArn, region, file.bucket, file.key, hash, file.oldestEventTime, file.newestEventTime, file.deliveredAt);
  }

  /** Regions with files waiting or a chain, for a trail. */
  regions(trailArn: string): string[] {
    const rows = this.st.get(`SELECT region FROM cloudtrail_digest_files WHERE trail_arn = ?
      UNION SELECT region FROM cloudtrail_digests WHERE trail_arn = ?`).all(trailArn, trailArn) as { region: string }[];
    return rows.map((r) => r.region);
  }

  /** Trails the ledger knows (to drop those deleted). */
  trailArns(): string[] {
    const rows = this.st.get('SELECT trail_arn FROM cloudtrail_digest_files UNION SELECT trail_arn FROM cloudtrail_digests').all() as { trail_arn: string }[];
    return rows.map((r) => r.trail_arn);
  }

  pending(trailArn: string, region: string): DigestRow | undefined {
    return this.digest(trailArn, region, 'pending');
  }

  head(trailArn: string, region: string): DigestRow | undefined {
    return this.digest(trailArn, region, 'written');
  }

  hasWaitingFiles(trailArn: string, region: string): boolean {
    return this.st.get('SELECT 1 FROM cloudtrail_digest_files WHERE trail_arn = ? AND region = ? AND digest_id IS NULL LIMIT 1')
      .get(trailArn, region) !== undefined;
  }

  /**
   * In one transaction: unless a digest is already pending (then that one is returned), hands the
   * chain head and the waiting files to `build` and records what it returns as pending, with those
   * files assigned to it. `build` returns undefined to write nothing this time.
   */
  claim(trailArn: string, region: string, build: (head: DigestRow | undefined, files: LedgerFile[]) => NewDigest | undefined): DigestRow | undefined {
    return this.db.transaction(() => {
      const pending = this.pending(trailArn, region);
      if (pending) return pending;
      const files = (this.st.get(`SELECT bucket, key, hash, oldest, newest, delivered_at AS deliveredAt FROM cloudtrail_digest_files
        WHERE trail_arn = ? AND region = ? AND digest_id IS NULL ORDER BY delivered_at, key`).all(trailArn, region)) as LedgerFile[];
      const d = build(this.head(trailArn, region), files);
      if (!d) return undefined;
      const id = Number(this.st.get(`INSERT INTO cloudtrail_digests (trail_arn, region, state, bucket, key, end_time, hash, signature, body)
        VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?)`).run(trailArn, region, d.bucket, d.key, d.endTime, d.hash, d.signature, d.body).lastInsertRowid);
      this.st.get('UPDATE cloudtrail_digest_files SET digest_id = ? WHERE trail_arn = ? AND region = ? AND digest_id IS NULL')
        .run(id, trailArn, region);
      return this.pending(trailArn, region);
    }).immediate();
  }

  /** The digest's object is written: it becomes the chain head and its files are forgotten. */
  written(id: number): void {
    this.db.transaction(() => {
      const row = this.st.get('SELECT trail_arn, region, state FROM cloudtrail_digests WHERE id = ?').get(id) as
        { trail_arn: string; region: string; state: string } | undefined;
      // Already recorded (another process finished it): the head must stay.
      if (row?.state !== 'pending') return;
      this.st.get("DELETE FROM cloudtrail_digests WHERE trail_arn = ? AND region = ? AND state = 'written'").run(row.trail_arn, row.region);
      this.st.get("UPDATE cloudtrail_digests SET state = 'written', body = NULL WHERE id = ?").run(id);
      this.st.get('DELETE FROM cloudtrail_digest_files WHERE digest_id = ?').run(id);
    }).immediate();
  }

  /** Ends a trail's chains (trail deleted or validation turned off): the next digest starts a new chain. */
  forget(trailArn: string): void {
    this.db.transaction(() => {
      this.st.get('DELETE FROM cloudtrail_digest_files WHERE trail_arn = ?').run(trailArn);
      this.st.get('DELETE FROM cloudtrail_digests WHERE trail_arn = ?').run(trailArn);
    }).immediate();
  }

  private digest(trailArn: string, region: string, state: 'pending' | 'written'): DigestRow | undefined {
    const r = this.st.get('SELECT * FROM cloudtrail_digests WHERE trail_arn = ? AND region = ? AND state = ? ORDER BY id DESC LIMIT 1')
      .get(trailArn, region, state) as RawDigest | undefined;
    return r ? toRow(r) : undefined;
  }
}
