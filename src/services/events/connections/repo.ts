/** Connections and API destinations in the metadata store (tables in schema.ts). */
import type { ConnectionAuthResponseParameters } from '@aws-sdk/client-eventbridge';
import type { Scope } from '../../../lib/arn.ts';
import { inList } from '../../../store/meta/sql/in-list.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';

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

export class ConnectionsRepo {
  constructor(private readonly db: Sql) {}

  async getConnection(s: Scope, name: string): Promise<ConnectionRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM events_connections WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name]);
    return row && connectionOf(row);
  }

  async connectionByArn(arn: string): Promise<ConnectionRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM events_connections WHERE arn = ?', [arn]);
    return row && connectionOf(row);
  }

  /** The state of each existing connection among `arns`, in one statement. */
  async connectionStates(arns: readonly string[]): Promise<Map<string, string>> {
    if (arns.length === 0) return new Map();
    const list = inList([...new Set(arns)]);
    const rows = await this.db.all<{ arn: string; state: string }>(`SELECT arn, state FROM events_connections WHERE arn IN ${list.sql}`, list.params);
    return new Map(rows.map((r) => [r.arn, r.state]));
  }

  async listConnections(s: Scope, o: ListOptions & { state?: string }): Promise<ConnectionRecord[]> {
    const rows = await this.db.all<Row>(`
      SELECT * FROM events_connections WHERE account = ? AND region = ?
        AND substr(name, 1, ?) = ? AND (? IS NULL OR state = ?) AND (? IS NULL OR name > ?)
      ORDER BY name LIMIT ?`, [
      s.account, s.region, (o.prefix ?? '').length, o.prefix ?? '', o.state ?? null, o.state ?? null, o.after ?? null, o.after ?? null, o.limit,
    ]);
    return rows.map(connectionOf);
  }

  async countConnections(s: Scope): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM events_connections WHERE account = ? AND region = ?', [s.account, s.region]))!.n;
  }

  /** false when the name (or the ARN) is taken. */
  async insertConnection(s: Scope, c: ConnectionRecord): Promise<boolean> {
    const row = { account: s.account, region: s.region, ...toRow(CONNECTION_COLUMNS, c) };
    const cols = Object.keys(row);
    const sql = `INSERT INTO events_connections (${cols.join(', ')}) VALUES (${cols.map((k) => `@${k}`).join(', ')}) ON CONFLICT DO NOTHING`;
    return (await this.db.run(sql, row)).changes === 1;
  }

  updateConnection(s: Scope, name: string, patch: ConnectionPatch): Promise<boolean> {
    return this.update('events_connections', s, name, toRow(CONNECTION_COLUMNS, patch));
  }

  async deleteConnection(s: Scope, name: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM events_connections WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name])).changes === 1;
  }

  async getDestination(s: Scope, name: string): Promise<DestinationRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM events_api_destinations WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name]);
    return row && destinationOf(row);
  }

  async destinationByArn(arn: string): Promise<DestinationRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM events_api_destinations WHERE arn = ?', [arn]);
    return row && destinationOf(row);
  }

  async listDestinations(s: Scope, o: ListOptions & { connectionArn?: string }): Promise<DestinationRecord[]> {
    const rows = await this.db.all<Row>(`
      SELECT * FROM events_api_destinations WHERE account = ? AND region = ?
        AND substr(name, 1, ?) = ? AND (? IS NULL OR connection_arn = ?) AND (? IS NULL OR name > ?)
      ORDER BY name LIMIT ?`, [
      s.account, s.region, (o.prefix ?? '').length, o.prefix ?? '', o.connectionArn ?? null, o.connectionArn ?? null, o.after ?? null, o.after ?? null, o.limit,
    ]);
    return rows.map(destinationOf);
  }

  async countDestinations(s: Scope): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM events_api_destinations WHERE account = ? AND region = ?', [s.account, s.region]))!.n;
  }

  async insertDestination(s: Scope, d: DestinationRecord): Promise<boolean> {
    const row = { account: s.account, region: s.region, ...toRow(DESTINATION_COLUMNS, d) };
    const cols = Object.keys(row);
    const sql = `INSERT INTO events_api_destinations (${cols.join(', ')}) VALUES (${cols.map((k) => `@${k}`).join(', ')}) ON CONFLICT DO NOTHING`;
    return (await this.db.run(sql, row)).changes === 1;
  }

  updateDestination(s: Scope, name: string, patch: DestinationPatch): Promise<boolean> {
    return this.update('events_api_destinations', s, name, toRow(DESTINATION_COLUMNS, patch));
  }

  async deleteDestination(s: Scope, name: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM events_api_destinations WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name])).changes === 1;
  }

  private async update(table: string, s: Scope, name: string, set: Row): Promise<boolean> {
    const cols = Object.keys(set);
    if (cols.length === 0) return (await this.db.get(`SELECT 1 AS one FROM ${table} WHERE account = ? AND region = ? AND name = ?`, [s.account, s.region, name])) !== undefined;
    const sql = `UPDATE ${table} SET ${cols.map((c) => `${c} = @${c}`).join(', ')} WHERE account = @__account AND region = @__region AND name = @__name`;
    return (await this.db.run(sql, { ...set, __account: s.account, __region: s.region, __name: name })).changes === 1;
  }
}
