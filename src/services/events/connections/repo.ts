/** Connections and API destinations in SQLite (tables in schema.ts). */
import type { ConnectionAuthResponseParameters } from '@aws-sdk/client-eventbridge';
import type { Scope } from '../../../lib/arn.ts';
import type { Db } from '../../../store/meta/db.ts';

export interface ConnectionRecord {
  name: string;
  arn: string;
  secretArn: string;
  description?: string;
  authType: string;
  state: string;
  stateReason?: string;
  /** What DescribeConnection shows: the parameters without their secrets. */
  publicAuth: ConnectionAuthResponseParameters;
  /** The whole AuthParameters (secrets included), sealed under `arn`. */
  sealedAuth: string;
  kmsKeyId?: string;
  createdAt: number;
  modifiedAt: number;
  authorizedAt?: number;
}

export interface DestinationRecord {
  name: string;
  arn: string;
  description?: string;
  connectionArn: string;
  endpoint: string;
  httpMethod: string;
  rateLimit: number;
  createdAt: number;
  modifiedAt: number;
}

export type ConnectionPatch = Partial<Omit<ConnectionRecord, 'name' | 'arn' | 'secretArn' | 'createdAt'>>;
export type DestinationPatch = Partial<Omit<DestinationRecord, 'name' | 'arn' | 'createdAt'>>;

interface ListOptions {
  prefix?: string;
  after?: string;
  limit: number;
}

const CONNECTION_COLUMNS: Record<keyof ConnectionRecord, string> = {
  name: 'name', arn: 'arn', secretArn: 'secret_arn', description: 'description', authType: 'auth_type', state: 'state',
  stateReason: 'state_reason', publicAuth: 'public_auth', sealedAuth: 'sealed_auth', kmsKeyId: 'kms_key_id',
  createdAt: 'created_at', modifiedAt: 'modified_at', authorizedAt: 'authorized_at',
};

const DESTINATION_COLUMNS: Record<keyof DestinationRecord, string> = {
  name: 'name', arn: 'arn', description: 'description', connectionArn: 'connection_arn', endpoint: 'endpoint',
  httpMethod: 'http_method', rateLimit: 'rate_limit', createdAt: 'created_at', modifiedAt: 'modified_at',
};

type Row = Record<string, string | number | null>;

/** Row values for a record or patch: JSON for objects, NULL for absent optionals. */
function toRow<T extends object>(columns: Record<string, string>, values: T): Row {
  const row: Row = {};
  for (const [key, value] of Object.entries(values)) {
    const column = columns[key];
    if (column === undefined) continue;
    row[column] = value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : (value as string | number);
  }
  return row;
}

function fromRow<T>(columns: Record<string, string>, row: Row, json: readonly string[] = []): T {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(columns)) {
    const v = row[column];
    if (v === null || v === undefined) continue;
    out[key] = json.includes(key) ? JSON.parse(String(v)) : v;
  }
  return out as T;
}

const connectionOf = (row: Row) => fromRow<ConnectionRecord>(CONNECTION_COLUMNS, row, ['publicAuth']);
const destinationOf = (row: Row) => fromRow<DestinationRecord>(DESTINATION_COLUMNS, row);

/** LIKE with the prefix's own wildcards escaped. */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class ConnectionsRepo {
  constructor(private readonly db: Db) {}

  getConnection(s: Scope, name: string): ConnectionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM events_connections WHERE account = ? AND region = ? AND name = ?').get(s.account, s.region, name) as Row | undefined;
    return row && connectionOf(row);
  }

  connectionByArn(arn: string): ConnectionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM events_connections WHERE arn = ?').get(arn) as Row | undefined;
    return row && connectionOf(row);
  }

  listConnections(s: Scope, o: ListOptions & { state?: string }): ConnectionRecord[] {
    const rows = this.db.prepare(`
      SELECT * FROM events_connections WHERE account = ? AND region = ?
        AND (? IS NULL OR name LIKE ? ESCAPE '\\') AND (? IS NULL OR state = ?) AND (? IS NULL OR name > ?)
      ORDER BY name LIMIT ?`).all(
      s.account, s.region, o.prefix ?? null, likePrefix(o.prefix ?? ''), o.state ?? null, o.state ?? null, o.after ?? null, o.after ?? null, o.limit,
    ) as Row[];
    return rows.map(connectionOf);
  }

  countConnections(s: Scope): number {
    return (this.db.prepare('SELECT count(*) AS n FROM events_connections WHERE account = ? AND region = ?').get(s.account, s.region) as { n: number }).n;
  }

  /** false when the name is taken. */
  insertConnection(s: Scope, c: ConnectionRecord): boolean {
    const row = { account: s.account, region: s.region, ...toRow(CONNECTION_COLUMNS, c) };
    const cols = Object.keys(row);
    const sql = `INSERT INTO events_connections (${cols.join(', ')}) VALUES (${cols.map((k) => `@${k}`).join(', ')}) ON CONFLICT DO NOTHING`;
    return this.db.prepare(sql).run(row).changes === 1;
  }

  updateConnection(s: Scope, name: string, patch: ConnectionPatch): boolean {
    return this.update('events_connections', s, name, toRow(CONNECTION_COLUMNS, patch));
  }

  deleteConnection(s: Scope, name: string): boolean {
    return this.db.prepare('DELETE FROM events_connections WHERE account = ? AND region = ? AND name = ?').run(s.account, s.region, name).changes === 1;
  }

  getDestination(s: Scope, name: string): DestinationRecord | undefined {
    const row = this.db.prepare('SELECT * FROM events_api_destinations WHERE account = ? AND region = ? AND name = ?').get(s.account, s.region, name) as Row | undefined;
    return row && destinationOf(row);
  }

  destinationByArn(arn: string): DestinationRecord | undefined {
    const row = this.db.prepare('SELECT * FROM events_api_destinations WHERE arn = ?').get(arn) as Row | undefined;
    return row && destinationOf(row);
  }

  listDestinations(s: Scope, o: ListOptions & { connectionArn?: string }): DestinationRecord[] {
    const rows = this.db.prepare(`
      SELECT * FROM events_api_destinations WHERE account = ? AND region = ?
        AND (? IS NULL OR name LIKE ? ESCAPE '\\') AND (? IS NULL OR connection_arn = ?) AND (? IS NULL OR name > ?)
      ORDER BY name LIMIT ?`).all(
      s.account, s.region, o.prefix ?? null, likePrefix(o.prefix ?? ''), o.connectionArn ?? null, o.connectionArn ?? null, o.after ?? null, o.after ?? null, o.limit,
    ) as Row[];
    return rows.map(destinationOf);
  }

  countDestinations(s: Scope): number {
    return (this.db.prepare('SELECT count(*) AS n FROM events_api_destinations WHERE account = ? AND region = ?').get(s.account, s.region) as { n: number }).n;
  }

  insertDestination(s: Scope, d: DestinationRecord): boolean {
    const row = { account: s.account, region: s.region, ...toRow(DESTINATION_COLUMNS, d) };
    const cols = Object.keys(row);
    const sql = `INSERT INTO events_api_destinations (${cols.join(', ')}) VALUES (${cols.map((k) => `@${k}`).join(', ')}) ON CONFLICT DO NOTHING`;
    return this.db.prepare(sql).run(row).changes === 1;
  }

  updateDestination(s: Scope, name: string, patch: DestinationPatch): boolean {
    return this.update('events_api_destinations', s, name, toRow(DESTINATION_COLUMNS, patch));
  }

  deleteDestination(s: Scope, name: string): boolean {
    return this.db.prepare('DELETE FROM events_api_destinations WHERE account = ? AND region = ? AND name = ?').run(s.account, s.region, name).changes === 1;
  }

  private update(table: string, s: Scope, name: string, set: Row): boolean {
    const cols = Object.keys(set);
    if (cols.length === 0) return this.db.prepare(`SELECT 1 FROM ${table} WHERE account = ? AND region = ? AND name = ?`).get(s.account, s.region, name) !== undefined;
    const sql = `UPDATE ${table} SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE account = @__account AND region = @__region AND name = @__name`;
    return this.db.prepare(sql).run({ ...set, __account: s.account, __region: s.region, __name: name }).changes === 1;
  }
}
