/**
 * Doctor's metadata check when the metadata store is PostgreSQL (`metadata.url`): the database
 * answers, and its applied migrations against this build's — read only, without applying any (the
 * next server start applies what is pending, under its migration lock).
 */
import { redact } from '../../store/meta/sql/open.ts';
import { PostgresMetaDb } from '../../store/meta/sql/postgres-db.ts';
import { pendingSteps, unknownSteps } from '../schema-versions.ts';
import { fail, ok, type Check } from './check.ts';
import { versionsCheck } from './data-dir.ts';

const NAME = 'metadata schema';

export async function checkPostgresMetaSchema(url: string): Promise<Check> {
  const where = `PostgreSQL at ${redact(url)}`;
  const db = PostgresMetaDb.open(url, { max: 1 });
  try {
    const has = async (table: string) => (await db.get<{ t: string | null }>('SELECT to_regclass(?)::text AS t', [table]))?.t != null;
    if (!(await has('schema_migrations'))) return ok(NAME, `${where}: no Osprey schema yet (a new database)`);
    const meta = (await db.all<{ id: number }>('SELECT id FROM schema_migrations ORDER BY id')).map((r) => Number(r.id));
    const modules: Record<string, number[]> = {};
    if (await has('module_migrations')) {
      for (const r of await db.all<{ module: string; id: number }>('SELECT module, id FROM module_migrations ORDER BY module, id')) (modules[r.module] ??= []).push(Number(r.id));
    }
    const v = { meta, modules };
    const listed = Object.entries(modules).map(([m, ids]) => `${m} ${Math.max(...ids)}`).join(', ');
    return versionsCheck(NAME, unknownSteps(v), pendingSteps(v), `${where}: core at ${Math.max(0, ...meta)}${listed ? `, modules: ${listed}` : ''}`);
  } catch (e) {
    return fail(NAME, `${where} cannot be read: ${(e as Error).message}`);
  } finally {
    await db.close().catch(() => {});
  }
}
