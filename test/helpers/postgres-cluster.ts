/**
 * Multi-node tests on a throwaway PostgreSQL cluster (initdb + pg_ctl, no service). CI installs
 * Debian's postgresql, so there its absence is an error; on a dev machine without the package the
 * scenarios are skipped, saying why.
 */
import { test as nodeTest } from 'node:test';
import { throwawayPostgres } from '../../src/store/meta/sql/throwaway-postgres.ts';

export async function postgresForTest(what: string): Promise<Awaited<ReturnType<typeof throwawayPostgres>>> {
  const cluster = await throwawayPostgres();
  if (!cluster && process.env.CI) throw new Error(`PostgreSQL is needed (apt-get install postgresql): CI runs ${what}`);
  return cluster;
}

/** node:test's `test`, or one that skips every scenario when there is no cluster. */
export function testOnPostgres(cluster: unknown): typeof nodeTest {
  if (cluster) return nodeTest;
  return ((name: string) => nodeTest(name, { skip: 'PostgreSQL is not installed (apt-get install postgresql)' })) as unknown as typeof nodeTest;
}
