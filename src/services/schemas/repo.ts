/** The schema registry's repository: the async interface handlers use and its implementation on the metadata store (SQLite or PostgreSQL). */
import { forUpdate } from '../../store/meta/sql/locking.ts';
import type { Sql } from '../../store/meta/sql/types.ts';

export interface Scope {
  account: string;
  region: string;
}

export type Tags = Record<string, string>;

export interface Registry {
  name: string;
  description?: string;
  tags: Tags;
  policy?: string;
  policyRevision?: string;
}

export interface Schema {
  registry: string;
  name: string;
  description?: string;
  tags: Tags;
  lastModified: number;
  lastVersion: number;
  /** Live versions (a deleted version no longer counts). */
  versionCount: number;
  discoveredShape?: string;
}

export interface SchemaVersion {
  version: number;
  type: string;
  content: string;
  createdAt: number;
}

export interface Discoverer {
  id: string;
  sourceArn: string;
  description?: string;
  state: 'STARTED' | 'STOPPED';
  crossAccount: boolean;
  tags: Tags;
}

export interface SchemasRepo {
  registry(s: Scope, name: string): Promise<Registry | undefined>;
  registries(s: Scope): Promise<Registry[]>;
  /** false when the name is taken. */
  insertRegistry(s: Scope, r: Registry): Promise<boolean>;
  /** Creates the registry unless it exists (the AWS-managed ones, made on first use of a scope). */
  ensureRegistry(s: Scope, r: Registry): Promise<void>;
  updateRegistry(s: Scope, name: string, patch: Partial<Pick<Registry, 'description' | 'tags' | 'policy' | 'policyRevision'>>): Promise<void>;
  deleteRegistry(s: Scope, name: string): Promise<boolean>;

  schema(s: Scope, registry: string, name: string): Promise<Schema | undefined>;
  schemas(s: Scope, registry: string): Promise<Schema[]>;
  versions(s: Scope, registry: string, name: string): Promise<SchemaVersion[]>;
  version(s: Scope, registry: string, name: string, version?: number): Promise<SchemaVersion | undefined>;
  /** Appends version `lastVersion + 1` (creating the schema when `create` is given); returns it. */
  appendVersion(s: Scope, registry: string, name: string, v: Omit<SchemaVersion, 'version'>, opts: SchemaWrite): Promise<number>;
  updateSchema(s: Scope, registry: string, name: string, patch: { description?: string; tags?: Tags; lastModified?: number }): Promise<void>;
  deleteSchema(s: Scope, registry: string, name: string): Promise<boolean>;
  deleteVersion(s: Scope, registry: string, name: string, version: number): Promise<boolean>;

  discoverer(s: Scope, id: string): Promise<Discoverer | undefined>;
  discoverers(s: Scope): Promise<Discoverer[]>;
  insertDiscoverer(s: Scope, d: Discoverer): Promise<boolean>;
  updateDiscoverer(s: Scope, id: string, patch: Partial<Pick<Discoverer, 'description' | 'crossAccount' | 'state' | 'tags'>>): Promise<void>;
  deleteDiscoverer(s: Scope, id: string): Promise<boolean>;
  startedDiscoverers(s: Scope, sourceArn: string): Promise<Discoverer[]>;
}

export interface SchemaWrite {
  /** Present when the schema is new. */
  create?: { tags: Tags };
  description?: string;
  discoveredShape?: string;
}

interface RegistryRow { name: string; description: string | null; tags: string; policy: string | null; policy_revision: string | null }
interface SchemaRow {
  registry: string; name: string; description: string | null; tags: string; last_modified: number; last_version: number;
  discovered_shape: string | null; version_count: number;
}
interface VersionRow { version: number; type: string; content: string; created_at: number }
interface DiscovererRow { id: string; source_arn: string; description: string | null; state: string; cross_account: number; tags: string }

const registryOf = (r: RegistryRow): Registry => ({
  name: r.name, description: r.description ?? undefined, tags: JSON.parse(r.tags) as Tags,
  policy: r.policy ?? undefined, policyRevision: r.policy_revision ?? undefined,
});
const schemaOf = (r: SchemaRow): Schema => ({
  registry: r.registry, name: r.name, description: r.description ?? undefined, tags: JSON.parse(r.tags) as Tags,
  lastModified: r.last_modified, lastVersion: r.last_version, versionCount: r.version_count, discoveredShape: r.discovered_shape ?? undefined,
});
const versionOf = (r: VersionRow): SchemaVersion => ({ version: r.version, type: r.type, content: r.content, createdAt: r.created_at });
const discovererOf = (r: DiscovererRow): Discoverer => ({
  id: r.id, sourceArn: r.source_arn, description: r.description ?? undefined, state: r.state as Discoverer['state'],
  crossAccount: r.cross_account === 1, tags: JSON.parse(r.tags) as Tags,
});

const SCHEMA_SELECT = `SELECT s.*, (SELECT count(*) FROM schemas_versions v WHERE v.account = s.account AND v.region = s.region
  AND v.registry = s.registry AND v.name = s.name) AS version_count FROM schemas_schemas s`;

/** `SET a = ?, b = ?` for the defined members of a patch, mapped to their columns. */
function setClause(patch: Record<string, unknown>, columns: Record<string, string>, encode: (k: string, v: unknown) => unknown) {
  const keys = Object.keys(patch).filter((k) => k in columns && patch[k] !== undefined);
  return { sql: keys.map((k) => `${columns[k]} = ?`).join(', '), args: keys.map((k) => encode(k, patch[k])) };
}

const json = (k: string, v: unknown) => (k === 'tags' ? JSON.stringify(v) : k === 'crossAccount' ? (v ? 1 : 0) : v);

export class SchemasStore implements SchemasRepo {
  constructor(private readonly db: Sql) {}

  async registry(s: Scope, name: string) {
    const r = await this.db.get<RegistryRow>('SELECT * FROM schemas_registries WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name]);
    return r && registryOf(r);
  }

  async registries(s: Scope) {
    return (await this.db.all<RegistryRow>('SELECT * FROM schemas_registries WHERE account = ? AND region = ? ORDER BY name', [s.account, s.region])).map(registryOf);
  }

  async insertRegistry(s: Scope, r: Registry) {
    return (await this.db.run('INSERT INTO schemas_registries (account, region, name, description, tags) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [s.account, s.region, r.name, r.description ?? null, JSON.stringify(r.tags)])).changes > 0;
  }

  async ensureRegistry(s: Scope, r: Registry) {
    await this.insertRegistry(s, r);
  }

  async updateRegistry(s: Scope, name: string, patch: Partial<Pick<Registry, 'description' | 'tags' | 'policy' | 'policyRevision'>>) {
    const set = setClause(patch, { description: 'description', tags: 'tags', policy: 'policy', policyRevision: 'policy_revision' }, json);
    // An explicit `policy: undefined` with the key present is DeleteResourcePolicy.
    const clear = 'policy' in patch && patch.policy === undefined ? 'policy = NULL, policy_revision = NULL' : '';
    const sql = [set.sql, clear].filter(Boolean).join(', ');
    if (!sql) return;
    await this.db.run(`UPDATE schemas_registries SET ${sql} WHERE account = ? AND region = ? AND name = ?`, [...set.args, s.account, s.region, name]);
  }

  async deleteRegistry(s: Scope, name: string) {
    return (await this.db.run('DELETE FROM schemas_registries WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name])).changes > 0;
  }

  async schema(s: Scope, registry: string, name: string) {
    const r = await this.db.get<SchemaRow>(`${SCHEMA_SELECT} WHERE s.account = ? AND s.region = ? AND s.registry = ? AND s.name = ?`,
      [s.account, s.region, registry, name]);
    return r && schemaOf(r);
  }

  async schemas(s: Scope, registry: string) {
    return (await this.db.all<SchemaRow>(`${SCHEMA_SELECT} WHERE s.account = ? AND s.region = ? AND s.registry = ? ORDER BY s.name`,
      [s.account, s.region, registry])).map(schemaOf);
  }

  async versions(s: Scope, registry: string, name: string) {
    return (await this.db.all<VersionRow>(
      'SELECT version, type, content, created_at FROM schemas_versions WHERE account = ? AND region = ? AND registry = ? AND name = ? ORDER BY version',
      [s.account, s.region, registry, name])).map(versionOf);
  }

  async version(s: Scope, registry: string, name: string, version?: number) {
    const base = 'SELECT version, type, content, created_at FROM schemas_versions WHERE account = ? AND region = ? AND registry = ? AND name = ?';
    const r = version === undefined
      ? await this.db.get<VersionRow>(`${base} ORDER BY version DESC LIMIT 1`, [s.account, s.region, registry, name])
      : await this.db.get<VersionRow>(`${base} AND version = ?`, [s.account, s.region, registry, name, version]);
    return r && versionOf(r);
  }

  async appendVersion(s: Scope, registry: string, name: string, v: Omit<SchemaVersion, 'version'>, opts: SchemaWrite) {
    return this.db.transaction(async (tx) => {
      const key = [s.account, s.region, registry, name];
      if (opts.create) {
        await tx.run(`INSERT INTO schemas_schemas (account, region, registry, name, description, tags, last_modified, last_version, discovered_shape)
          VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)`, [...key, opts.description ?? null, JSON.stringify(opts.create.tags), v.createdAt, opts.discoveredShape ?? null]);
      }
      // Locked on PostgreSQL: two writers of one schema get consecutive versions, not the same one.
      const row = (await tx.get<{ last_version: number }>(
        `SELECT last_version FROM schemas_schemas WHERE account = ? AND region = ? AND registry = ? AND name = ?${forUpdate(tx)}`, key))!;
      const version = row.last_version + 1;
      await tx.run(`UPDATE schemas_schemas SET last_version = ?, last_modified = ?, description = coalesce(CAST(? AS TEXT), description),
        discovered_shape = coalesce(CAST(? AS TEXT), discovered_shape) WHERE account = ? AND region = ? AND registry = ? AND name = ?`,
      [version, v.createdAt, opts.description ?? null, opts.discoveredShape ?? null, ...key]);
      await tx.run('INSERT INTO schemas_versions (account, region, registry, name, version, type, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [...key, version, v.type, v.content, v.createdAt]);
      return version;
    });
  }

  async updateSchema(s: Scope, registry: string, name: string, patch: { description?: string; tags?: Tags; lastModified?: number }) {
    const set = setClause(patch, { description: 'description', tags: 'tags', lastModified: 'last_modified' }, json);
    if (!set.sql) return;
    await this.db.run(`UPDATE schemas_schemas SET ${set.sql} WHERE account = ? AND region = ? AND registry = ? AND name = ?`,
      [...set.args, s.account, s.region, registry, name]);
  }

  async deleteSchema(s: Scope, registry: string, name: string) {
    return (await this.db.run('DELETE FROM schemas_schemas WHERE account = ? AND region = ? AND registry = ? AND name = ?',
      [s.account, s.region, registry, name])).changes > 0;
  }

  async deleteVersion(s: Scope, registry: string, name: string, version: number) {
    return (await this.db.run('DELETE FROM schemas_versions WHERE account = ? AND region = ? AND registry = ? AND name = ? AND version = ?',
      [s.account, s.region, registry, name, version])).changes > 0;
  }

  async discoverer(s: Scope, id: string) {
    const r = await this.db.get<DiscovererRow>('SELECT * FROM schemas_discoverers WHERE account = ? AND region = ? AND id = ?', [s.account, s.region, id]);
    return r && discovererOf(r);
  }

  async discoverers(s: Scope) {
    return (await this.db.all<DiscovererRow>('SELECT * FROM schemas_discoverers WHERE account = ? AND region = ? ORDER BY id', [s.account, s.region])).map(discovererOf);
  }

  async insertDiscoverer(s: Scope, d: Discoverer) {
    return (await this.db.run(`INSERT INTO schemas_discoverers (account, region, id, source_arn, description, state, cross_account, tags)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    [s.account, s.region, d.id, d.sourceArn, d.description ?? null, d.state, d.crossAccount ? 1 : 0, JSON.stringify(d.tags)])).changes > 0;
  }

  async updateDiscoverer(s: Scope, id: string, patch: Partial<Pick<Discoverer, 'description' | 'crossAccount' | 'state' | 'tags'>>) {
    const set = setClause(patch, { description: 'description', crossAccount: 'cross_account', state: 'state', tags: 'tags' }, json);
    if (!set.sql) return;
    await this.db.run(`UPDATE schemas_discoverers SET ${set.sql} WHERE account = ? AND region = ? AND id = ?`, [...set.args, s.account, s.region, id]);
  }

  async deleteDiscoverer(s: Scope, id: string) {
    return (await this.db.run('DELETE FROM schemas_discoverers WHERE account = ? AND region = ? AND id = ?', [s.account, s.region, id])).changes > 0;
  }

  async startedDiscoverers(s: Scope, sourceArn: string) {
    return (await this.db.all<DiscovererRow>("SELECT * FROM schemas_discoverers WHERE account = ? AND region = ? AND source_arn = ? AND state = 'STARTED'",
      [s.account, s.region, sourceArn])).map(discovererOf);
  }
}
