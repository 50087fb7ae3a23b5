/** The schema registry's repository: the async interface handlers use and its SQLite implementation. */
import type { Db } from '../../store/meta/db.ts';

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

export class SqliteSchemasRepo implements SchemasRepo {
  constructor(private readonly db: Db) {}

  async registry(s: Scope, name: string) {
    const r = this.db.prepare('SELECT * FROM schemas_registries WHERE account = ? AND region = ? AND name = ?').get(s.account, s.region, name) as RegistryRow | undefined;
    return r && registryOf(r);
  }

  async registries(s: Scope) {
    return (this.db.prepare('SELECT * FROM schemas_registries WHERE account = ? AND region = ? ORDER BY name').all(s.account, s.region) as RegistryRow[]).map(registryOf);
  }

  async insertRegistry(s: Scope, r: Registry) {
    return this.db.prepare('INSERT OR IGNORE INTO schemas_registries (account, region, name, description, tags) VALUES (?, ?, ?, ?, ?)')
      .run(s.account, s.region, r.name, r.description ?? null, JSON.stringify(r.tags)).changes > 0;
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
    this.db.prepare(`UPDATE schemas_registries SET ${sql} WHERE account = ? AND region = ? AND name = ?`).run(...set.args, s.account, s.region, name);
  }

  async deleteRegistry(s: Scope, name: string) {
    return this.db.prepare('DELETE FROM schemas_registries WHERE account = ? AND region = ? AND name = ?').run(s.account, s.region, name).changes > 0;
  }

  async schema(s: Scope, registry: string, name: string) {
    const r = this.db.prepare(`${SCHEMA_SELECT} WHERE s.account = ? AND s.region = ? AND s.registry = ? AND s.name = ?`)
      .get(s.account, s.region, registry, name) as SchemaRow | undefined;
    return r && schemaOf(r);
  }

  async schemas(s: Scope, registry: string) {
    return (this.db.prepare(`${SCHEMA_SELECT} WHERE s.account = ? AND s.region = ? AND s.registry = ? ORDER BY s.name`)
      .all(s.account, s.region, registry) as SchemaRow[]).map(schemaOf);
  }

  async versions(s: Scope, registry: string, name: string) {
    return (this.db.prepare('SELECT version, type, content, created_at FROM schemas_versions WHERE account = ? AND region = ? AND registry = ? AND name = ? ORDER BY version')
      .all(s.account, s.region, registry, name) as VersionRow[]).map(versionOf);
  }

  async version(s: Scope, registry: string, name: string, version?: number) {
    const base = 'SELECT version, type, content, created_at FROM schemas_versions WHERE account = ? AND region = ? AND registry = ? AND name = ?';
    const r = (version === undefined
      ? this.db.prepare(`${base} ORDER BY version DESC LIMIT 1`).get(s.account, s.region, registry, name)
      : this.db.prepare(`${base} AND version = ?`).get(s.account, s.region, registry, name, version)) as VersionRow | undefined;
    return r && versionOf(r);
  }

  async appendVersion(s: Scope, registry: string, name: string, v: Omit<SchemaVersion, 'version'>, opts: SchemaWrite) {
    return this.db.transaction(() => {
      const key = [s.account, s.region, registry, name];
      if (opts.create) {
        this.db.prepare(`INSERT INTO schemas_schemas (account, region, registry, name, description, tags, last_modified, last_version, discovered_shape)
          VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)`).run(...key, opts.description ?? null, JSON.stringify(opts.create.tags), v.createdAt, opts.discoveredShape ?? null);
      }
      const row = this.db.prepare('SELECT last_version FROM schemas_schemas WHERE account = ? AND region = ? AND registry = ? AND name = ?').get(...key) as { last_version: number };
      const version = row.last_version + 1;
      this.db.prepare(`UPDATE schemas_schemas SET last_version = ?, last_modified = ?, description = coalesce(?, description),
        discovered_shape = coalesce(?, discovered_shape) WHERE account = ? AND region = ? AND registry = ? AND name = ?`)
        .run(version, v.createdAt, opts.description ?? null, opts.discoveredShape ?? null, ...key);
      this.db.prepare('INSERT INTO schemas_versions (account, region, registry, name, version, type, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(...key, version, v.type, v.content, v.createdAt);
      return version;
    })();
  }

  async updateSchema(s: Scope, registry: string, name: string, patch: { description?: string; tags?: Tags; lastModified?: number }) {
    const set = setClause(patch, { description: 'description', tags: 'tags', lastModified: 'last_modified' }, json);
    if (!set.sql) return;
    this.db.prepare(`UPDATE schemas_schemas SET ${set.sql} WHERE account = ? AND region = ? AND registry = ? AND name = ?`).run(...set.args, s.account, s.region, registry, name);
  }

  async deleteSchema(s: Scope, registry: string, name: string) {
    return this.db.prepare('DELETE FROM schemas_schemas WHERE account = ? AND region = ? AND registry = ? AND name = ?').run(s.account, s.region, registry, name).changes > 0;
  }

  async deleteVersion(s: Scope, registry: string, name: string, version: number) {
    return this.db.prepare('DELETE FROM schemas_versions WHERE account = ? AND region = ? AND registry = ? AND name = ? AND version = ?')
      .run(s.account, s.region, registry, name, version).changes > 0;
  }

  async discoverer(s: Scope, id: string) {
    const r = this.db.prepare('SELECT * FROM schemas_discoverers WHERE account = ? AND region = ? AND id = ?').get(s.account, s.region, id) as DiscovererRow | undefined;
    return r && discovererOf(r);
  }

  async discoverers(s: Scope) {
    return (this.db.prepare('SELECT * FROM schemas_discoverers WHERE account = ? AND region = ? ORDER BY id').all(s.account, s.region) as DiscovererRow[]).map(discovererOf);
  }

  async insertDiscoverer(s: Scope, d: Discoverer) {
    return this.db.prepare(`INSERT OR IGNORE INTO schemas_discoverers (account, region, id, source_arn, description, state, cross_account, tags)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(s.account, s.region, d.id, d.sourceArn, d.description ?? null, d.state, d.crossAccount ? 1 : 0, JSON.stringify(d.tags)).changes > 0;
  }

  async updateDiscoverer(s: Scope, id: string, patch: Partial<Pick<Discoverer, 'description' | 'crossAccount' | 'state' | 'tags'>>) {
    const set = setClause(patch, { description: 'description', crossAccount: 'cross_account', state: 'state', tags: 'tags' }, json);
    if (!set.sql) return;
    this.db.prepare(`UPDATE schemas_discoverers SET ${set.sql} WHERE account = ? AND region = ? AND id = ?`).run(...set.args, s.account, s.region, id);
  }

  async deleteDiscoverer(s: Scope, id: string) {
    return this.db.prepare('DELETE FROM schemas_discoverers WHERE account = ? AND region = ? AND id = ?').run(s.account, s.region, id).changes > 0;
  }

  async startedDiscoverers(s: Scope, sourceArn: string) {
    return (this.db.prepare("SELECT * FROM schemas_discoverers WHERE account = ? AND region = ? AND source_arn = ? AND state = 'STARTED'")
      .all(s.account, s.region, sourceArn) as DiscovererRow[]).map(discovererOf);
  }
}
