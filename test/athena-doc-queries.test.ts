// The catalogue of Athena queries from AWS's documentation (test/vectors/athena-doc-queries.json):
// CloudTrail, VPC flow, ALB, Classic LB and CloudFront logs generated in their documented formats
// into mapped buckets, the docs' CREATE EXTERNAL TABLE / partition statements run as written (only
// bucket, account, region and table names adapted), then every query, its rows compared with the
// answer the oracle (test/fixtures/athena-docs/expected.ts) worked out from the same records.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';
import { generateDocData, writeDocData } from './fixtures/athena-docs/index.ts';
import { computeExpected, readVectors, utcToday, type Expected, type VectorCase } from './fixtures/athena-docs/expected.ts';

const vectors = readVectors();
const root = mkdtempSync(join(tmpdir(), 'osprey-athena-docs-'));
let server: TestServer;
let athena: AthenaClient;
/** Table id → why its statements failed. */
const setupFailures = new Map<string, string>();

interface Run { state: string; reason?: string; columns: string[]; rows: (string | null)[][] }

async function run(sql: string): Promise<Run> {
  const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({ QueryString: sql, QueryExecutionContext: { Database: 'default' } }));
  const q = await until(`query to finish: ${sql.slice(0, 60)}`, async () => {
    const e = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution!;
    return e.Status?.State === 'QUEUED' || e.Status?.State === 'RUNNING' ? undefined : e;
  }, 60_000);
  const out: Run = { state: q.Status!.State!, reason: q.Status?.StateChangeReason, columns: [], rows: [] };
  if (out.state !== 'SUCCEEDED') return out;
  let token: string | undefined;
  let first = true;
  do {
    const r = await athena.send(new GetQueryResultsCommand({ QueryExecutionId, NextToken: token, MaxResults: 1000 }));
    if (first) out.columns = r.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Name!) ?? [];
    const rows = r.ResultSet!.Rows!.map((row) => row.Data!.map((d) => d.VarCharValue ?? null));
    // A query's first row is the header.
    out.rows.push(...(first ? rows.slice(1) : rows));
    first = false;
    token = r.NextToken;
  } while (token);
  return out;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Equal as GetQueryResults strings, or as numbers (doubles and reals print differently across engines). */
function same(e: string | null, g: string | null): boolean {
  if (e === g) return true;
  if (e === null || g === null || !NUMBER.test(e) || !NUMBER.test(g)) return false;
  const [a, b] = [Number(e), Number(g)];
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
}

const sameRow = (e: (string | null)[], g: (string | null)[]) => e.length === g.length && e.every((x, i) => same(x, g[i] ?? null));
const show = (r: (string | null)[]) => JSON.stringify(r);

/** Why `got` is not an answer `expected` allows, or undefined. See the vector file's "format". */
function mismatch(expected: Expected, got: Run): string | undefined {
  const problems: string[] = [];
  if (JSON.stringify(got.columns) !== JSON.stringify(expected.columns)) problems.push(`columns ${show(got.columns)}, expected ${show(expected.columns)}`);
  const k = Math.min(expected.limit ?? Infinity, expected.rows.length);
  if (got.rows.length !== k) problems.push(`${got.rows.length} rows, expected ${k}${expected.limit !== undefined ? ` (LIMIT ${expected.limit} of ${expected.rows.length})` : ''}`);
  if (expected.order_by) {
    const idx = expected.order_by.map((c) => expected.columns.indexOf(c));
    const key = (r: (string | null)[]) => idx.map((i) => r[i] ?? null);
    const at = got.rows.findIndex((r, i) => i < k && !sameRow(key(expected.rows[i]!), key(r)));
    if (at >= 0) problems.push(`row ${at + 1} is out of order: ${expected.order_by.join(', ')} = ${show(key(got.rows[at]!))}, expected ${show(key(expected.rows[at]!))}`);
  }
  const unused = expected.rows.map(() => true);
  const unexpected: (string | null)[][] = [];
  for (const r of got.rows) {
    const i = expected.rows.findIndex((e, j) => unused[j] && sameRow(e, r));
    if (i >= 0) unused[i] = false;
    else unexpected.push(r);
  }
  if (unexpected.length > 0) {
    problems.push(`${unexpected.length} unexpected row(s), e.g. ${unexpected.slice(0, 3).map(show).join('\n    ')}`);
    if (expected.limit === undefined) problems.push(`missing, e.g. ${expected.rows.filter((_, j) => unused[j]).slice(0, 3).map(show).join('\n    ')}`);
    // The closest allowed row to the first unexpected one, column by column.
    const r = unexpected[0]!;
    const near = expected.rows.map((e) => e.filter((x, i) => same(x, r[i] ?? null)).length);
    const e = expected.rows[near.indexOf(Math.max(...near))];
    if (e) problems.push(`first unexpected row vs the closest allowed one: ${expected.columns.flatMap((c, i) => (same(e[i] ?? null, r[i] ?? null) ? [] : [`${c}: ${show([r[i] ?? null])} ≠ ${show([e[i] ?? null])}`])).join('; ')}`);
  }
  return problems.length > 0 ? problems.join('\n  ') : undefined;
}

before(async () => {
  const buckets = writeDocData(root, generateDocData());
  server = await startTestServer({
    modules: ['athena'],
    env: { OSPREY_EXPORT_BUCKETS: JSON.stringify(Object.fromEntries(Object.entries(buckets).map(([b, dir]) => [b, `file://${dir}`]))) },
  });
  athena = new AthenaClient(sdkConfig(server.url));
  // Each table's statements in order, as the docs give them; a failed one is reported by every case that reads the table.
  for (const t of vectors.tables) {
    for (const sql of t.statements) {
      const r = await run(sql);
      if (r.state !== 'SUCCEEDED') {
        setupFailures.set(t.id, `${sql.split('\n')[0]} … → ${r.state}: ${r.reason}`);
        break;
      }
    }
  }
});

after(async () => {
  await server?.stop();
  server?.cleanup();
  rmSync(root, { recursive: true, force: true });
});

test('the stored answers are the oracle\'s answers over the generated data', () => {
  const fresh = computeExpected(vectors, utcToday());
  for (const c of vectors.cases) assert.deepEqual(c.expected, fresh[c.id], `${c.id}: run npx tsx test/fixtures/athena-docs/expected.ts --write`);
});

const label = (c: VectorCase) => `${c.id} (${c.source.url})`;

describe('AWS documentation queries return the documented tables\' rows', { concurrency: 4 }, () => {
  for (const c of vectors.cases) {
    test(label(c), async () => {
      const failed = setupFailures.get(c.table);
      assert.ok(!failed, `${label(c)}: table ${c.table} could not be created: ${failed}`);
      const got = await run(c.query);
      assert.equal(got.state, 'SUCCEEDED', `${label(c)}\n${c.query}\n→ ${got.state}: ${got.reason}`);
      const why = mismatch(c.expected!, got);
      assert.ok(!why, `${label(c)}\n${c.query}\n  ${why}`);
    });
  }
});
