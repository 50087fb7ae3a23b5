/**
 * Which schema steps a data directory's stores have applied, and which of them this build does
 * not know (a directory or backup written by a newer Osprey): shared by backup manifests, restore
 * and `osprey doctor`.
 */
import type { Db } from '../store/meta/db.ts';
import { MIGRATIONS as META_MIGRATIONS } from '../store/meta/migrations.ts';
import type { SqlEngine } from '../store/telemetry/engine.ts';
import { MIGRATIONS as TELEMETRY_MIGRATIONS } from '../store/telemetry/migrations.ts';

export interface SchemaVersions {
  /** Metadata (SQLite) core migrations applied: schema_migrations ids. */
  meta: number[];
  /** Per service module, its own metadata migrations applied (module_migrations). */
  modules: Record<string, number[]>;
  /** Telemetry (ClickHouse) migrations applied: schema_migrations ids. */
  telemetry: string[];
}

const hasTable = (db: Db, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

export function readMetaVersions(db: Db): Pick<SchemaVersions, 'meta' | 'modules'> {
  const meta = hasTable(db, 'schema_migrations')
    ? (db.prepare('SELECT id FROM schema_migrations ORDER BY id').all() as { id: number }[]).map((r) => r.id)
    : [];
  const modules: Record<string, number[]> = {};
  if (hasTable(db, 'module_migrations')) {
    for (const r of db.prepare('SELECT module, id FROM module_migrations ORDER BY module, id').all() as { module: string; id: number }[]) {
      (modules[r.module] ??= []).push(r.id);
    }
  }
  return { meta, modules };
}

export async function readTelemetryVersions(engine: SqlEngine): Promise<string[]> {
  return (await engine.query<{ id: string }>('SELECT DISTINCT id FROM schema_migrations ORDER BY id')).map((r) => r.id);
}

/** Applied steps this build does not have: the stores were written by a newer Osprey. */
export function unknownSteps(v: Pick<SchemaVersions, 'meta'> & Partial<Pick<SchemaVersions, 'telemetry'>>): string[] {
  const meta = new Set(META_MIGRATIONS.map((m) => m.id));
  const telemetry = new Set(TELEMETRY_MIGRATIONS.map((m) => m.id));
  return [
    ...v.meta.filter((id) => !meta.has(id)).map((id) => `metadata migration ${id}`),
    ...(v.telemetry ?? []).filter((id) => !telemetry.has(id)).map((id) => `telemetry migration ${id}`),
  ];
}

/** Steps of this build not yet applied (the next server start applies them). */
export function pendingSteps(v: Pick<SchemaVersions, 'meta'> & Partial<Pick<SchemaVersions, 'telemetry'>>): string[] {
  const meta = new Set(v.meta);
  const telemetry = new Set(v.telemetry ?? []);
  return [
    ...META_MIGRATIONS.filter((m) => !meta.has(m.id)).map((m) => `metadata migration ${m.id}`),
    ...(v.telemetry === undefined ? [] : TELEMETRY_MIGRATIONS.filter((m) => !telemetry.has(m.id)).map((m) => `telemetry migration ${m.id}`)),
  ];
}
