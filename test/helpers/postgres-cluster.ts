/**
 * Multi-node tests on a throwaway PostgreSQL cluster (initdb + pg_ctl, no service). CI installs
 * Debian's postgresql, so there its absence is an error; on a dev machine without the package the
 * scenarios are skipped, saying why.
 */
import { after, before, test as nodeTest } from 'node:test';
import pg from 'pg';
import { throwawayPostgres } from '../../src/store/meta/sql/throwaway-postgres.ts';
import { startTestServer, type TestServer } from './server.ts';

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

export interface NodesOnPostgres {
  /** Filled by `before`, in start order; a test that kills a node takes it out (`drop`). */
  nodes: TestServer[];
  /** A client on the nodes' database (after `before`). */
  db(): pg.Client;
  /** Takes a killed node out of the list and removes its data directory. */
  drop(node: TestServer): void;
  test: typeof nodeTest;
}

/**
 * `count` Osprey nodes on one database of a throwaway cluster, started one at a time in `before`
 * (the first creates the schema), plus a client on that database; all stopped and removed in `after`.
 */
export async function nodesOnPostgres(what: string, count: number, opts: { modules: string[]; env?: Record<string, string> }): Promise<NodesOnPostgres> {
  const cluster = await postgresForTest(what);
  const nodes: TestServer[] = [];
  let client: pg.Client | undefined;
  before(async () => {
    if (!cluster) return;
    const url = await cluster.createDatabase();
    for (let i = 0; i < count; i++) nodes.push(await startTestServer({ modules: opts.modules, env: { ...opts.env, OSPREY_METADATA_URL: url } }));
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });
  after(async () => {
    await client?.end();
    for (const n of nodes) {
      await n.stop();
      n.cleanup();
    }
  });
  return {
    nodes,
    db: () => client!,
    drop: (node) => {
      nodes.splice(nodes.indexOf(node), 1);
      node.cleanup();
    },
    test: testOnPostgres(cluster),
  };
}
