/** Parameter Store's repository: the async interface handlers use and its implementation on the metadata store (SQLite or PostgreSQL). */
import type { Sql } from '../../store/meta/sql/types.ts';

export interface Scope {
  account: string;
  region: string;
}

/** One version of a parameter, as stored (SecureString values sealed). */
export interface ParameterVersion {
  name: string;
  version: number;
  type: string;
  value: string;
  keyId?: string;
  description?: string;
  allowedPattern?: string;
  tier: string;
  dataType: string;
  modifiedAt: number;
  modifiedBy: string;
  labels: string[];
}

export interface ParameterRepo {
  latest(s: Scope, name: string): Promise<ParameterVersion | undefined>;
  version(s: Scope, name: string, version: number): Promise<ParameterVersion | undefined>;
  history(s: Scope, name: string): Promise<ParameterVersion[]>;
  /** Latest versions by name, names > `after`, in name order. */
  list(s: Scope, opts: { prefix?: string; after?: string; limit: number }): Promise<ParameterVersion[]>;
  count(s: Scope, tier?: string): Promise<number>;
  /** Appends a version (creating the parameter when `tags` is given) and drops versions beyond `keep`. */
  append(s: Scope, v: ParameterVersion, opts: { tags?: Record<string, string>; keep: number }): Promise<void>;
  setLabels(s: Scope, name: string, byVersion: Map<number, string[]>): Promise<void>;
  remove(s: Scope, name: string): Promise<boolean>;
  tags(s: Scope, name: string): Promise<Record<string, string> | undefined>;
  setTags(s: Scope, name: string, tags: Record<string, string>): Promise<boolean>;
}

interface Row {
  name: string;
  version: number;
  type: string;
  value: string;
  key_id: string | null;
  description: string | null;
  allowed_pattern: string | null;
  tier: string;
  data_type: string;
  modified_at: number;
  modified_by: string;
  labels: string;
}

const fromRow = (r: Row): ParameterVersion => ({
  name: r.name, version: r.version, type: r.type, value: r.value,
  keyId: r.key_id ?? undefined, description: r.description ?? undefined, allowedPattern: r.allowed_pattern ?? undefined,
  tier: r.tier, dataType: r.data_type, modifiedAt: r.modified_at, modifiedBy: r.modified_by, labels: JSON.parse(r.labels) as string[],
});

const LATEST = `SELECT v.* FROM ssm_parameters p JOIN ssm_parameter_versions v
  ON v.account = p.account AND v.region = p.region AND v.name = p.name AND v.version = p.version`;

export class ParameterStore implements ParameterRepo {
  constructor(private readonly db: Sql) {}

  async latest(s: Scope, name: string) {
    const r = await this.db.get<Row>(`${LATEST} WHERE p.account = ? AND p.region = ? AND p.name = ?`, [s.account, s.region, name]);
    return r && fromRow(r);
  }

  async version(s: Scope, name: string, version: number) {
    const r = await this.db.get<Row>('SELECT * FROM ssm_parameter_versions WHERE account = ? AND region = ? AND name = ? AND version = ?',
      [s.account, s.region, name, version]);
    return r && fromRow(r);
  }

  async history(s: Scope, name: string) {
    const rows = await this.db.all<Row>('SELECT * FROM ssm_parameter_versions WHERE account = ? AND region = ? AND name = ? ORDER BY version',
      [s.account, s.region, name]);
    return rows.map(fromRow);
  }

  async list(s: Scope, opts: { prefix?: string; after?: string; limit: number }) {
    // A prefix range instead of LIKE: names may contain `%` and `_`.
    const lo = opts.after !== undefined && opts.after >= (opts.prefix ?? '') ? opts.after : (opts.prefix ?? '');
    const strict = opts.after !== undefined && lo === opts.after;
    const hi = opts.prefix ? opts.prefix + '\u{10FFFF}' : '\u{10FFFF}';
    const rows = await this.db.all<Row>(
      `${LATEST} WHERE p.account = ? AND p.region = ? AND p.name ${strict ? '>' : '>='} ? AND p.name < ? ORDER BY p.name LIMIT ?`,
      [s.account, s.region, lo, hi, opts.limit]);
    return rows.map(fromRow);
  }

  async count(s: Scope, tier?: string) {
    const sql = `SELECT count(*) AS n FROM (${LATEST} WHERE p.account = ? AND p.region = ?${tier ? ' AND v.tier = ?' : ''}) AS latest`;
    const args = tier ? [s.account, s.region, tier] : [s.account, s.region];
    return (await this.db.get<{ n: number }>(sql, args))!.n;
  }

  async append(s: Scope, v: ParameterVersion, opts: { tags?: Record<string, string>; keep: number }) {
    await this.db.transaction(async (tx) => {
      if (opts.tags) {
        await tx.run('INSERT INTO ssm_parameters (account, region, name, version, tags) VALUES (?, ?, ?, ?, ?)',
          [s.account, s.region, v.name, v.version, JSON.stringify(opts.tags)]);
      } else {
        await tx.run('UPDATE ssm_parameters SET version = ? WHERE account = ? AND region = ? AND name = ?', [v.version, s.account, s.region, v.name]);
      }
      await tx.run(
        `INSERT INTO ssm_parameter_versions (account, region, name, version, type, value, key_id, description, allowed_pattern, tier, data_type, modified_at, modified_by, labels)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [s.account, s.region, v.name, v.version, v.type, v.value, v.keyId ?? null, v.description ?? null, v.allowedPattern ?? null,
          v.tier, v.dataType, v.modifiedAt, v.modifiedBy, JSON.stringify(v.labels)]);
      await tx.run('DELETE FROM ssm_parameter_versions WHERE account = ? AND region = ? AND name = ? AND version <= ?',
        [s.account, s.region, v.name, v.version - opts.keep]);
    });
  }

  async setLabels(s: Scope, name: string, byVersion: Map<number, string[]>) {
    await this.db.transaction(async (tx) => {
      for (const [version, labels] of byVersion) {
        await tx.run('UPDATE ssm_parameter_versions SET labels = ? WHERE account = ? AND region = ? AND name = ? AND version = ?',
          [JSON.stringify(labels), s.account, s.region, name, version]);
      }
    });
  }

  async remove(s: Scope, name: string) {
    return (await this.db.run('DELETE FROM ssm_parameters WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name])).changes > 0;
  }

  async tags(s: Scope, name: string) {
    const r = await this.db.get<{ tags: string }>('SELECT tags FROM ssm_parameters WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name]);
    return r && (JSON.parse(r.tags) as Record<string, string>);
  }

  async setTags(s: Scope, name: string, tags: Record<string, string>) {
    return (await this.db.run('UPDATE ssm_parameters SET tags = ? WHERE account = ? AND region = ? AND name = ?',
      [JSON.stringify(tags), s.account, s.region, name])).changes > 0;
  }
}
