/**
 * Pins the exact SQL (text, parameters, columns, statistics queries) and the exact compile errors
 * of several hundred queries: the shared vectors, the AWS documentation samples, the semantic
 * tests and a coverage list of every function and command shape (test-queries.ts), compiled for a
 * plain log group; the coverage list also for a query spanning a Lambda group with a StartQuery
 * limit. `scanSql` depends on the options only, so it is pinned once per variant.
 *
 * It exists so that restructuring the compiler (issue 14 split sql.ts by concept) can prove the
 * output byte-identical. A change that alters SQL on purpose regenerates the file and the diff
 * shows what changed:
 *   OSPREY_UPDATE_SNAPSHOTS=1 node --import tsx --test src/services/logs/insights/sql.snapshot.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { ServiceError } from '../../../protocol/errors.ts';
import { compileInsightsQuery, type InsightsQueryOptions } from './index.ts';
import { COVERAGE_QUERIES, DOC_QUERIES, SEMANTIC_QUERIES } from './test-queries.ts';

const SNAPSHOT = new URL('./sql.snapshot.json', import.meta.url);
const NOW = Date.UTC(2024, 0, 1, 1, 0, 0);

const vectors = JSON.parse(readFileSync(new URL('../../../../../shared/vectors/logs-insights.json', import.meta.url), 'utf8')) as {
  queries: { query: string }[];
};

const VARIANTS: Record<string, InsightsQueryOptions> = {
  plain: { account: '123456789012', region: 'us-east-1', logGroups: ['/vectors/app'], startMs: 0, endMs: NOW, nowMs: NOW },
  lambda: {
    account: '123456789012', region: 'eu-west-1', logGroups: ['/vectors/app', '/aws/lambda/fn'],
    startMs: 1_704_067_200_000.5, endMs: NOW, nowMs: NOW, limit: 50,
  },
};

type Entry = Record<string, unknown>;

function compileEntry(query: string, opts: InsightsQueryOptions): Entry {
  try {
    const { scanSql: _scan, ...q } = compileInsightsQuery(query, opts);
    return q;
  } catch (e) {
    if (!(e instanceof ServiceError)) throw e;
    return { error: e.code, message: e.message, ...(e.fields ?? {}) };
  }
}

function current(): Record<string, Entry> {
  const all = [...new Set([...vectors.queries.map((v) => v.query), ...DOC_QUERIES, ...SEMANTIC_QUERIES, ...COVERAGE_QUERIES])];
  const out: Record<string, Entry> = {};
  for (const [variant, opts] of Object.entries(VARIANTS)) {
    out[`${variant} scanSql`] = { scanSql: compileInsightsQuery('fields @message', opts).scanSql };
    for (const q of variant === 'plain' ? all : COVERAGE_QUERIES) out[`${variant}: ${q}`] = compileEntry(q, opts);
  }
  return out;
}

test('the compiled SQL of every pinned query is unchanged', () => {
  const now = JSON.parse(JSON.stringify(current())) as Record<string, Entry>;
  if (process.env.OSPREY_UPDATE_SNAPSHOTS === '1') {
    writeFileSync(SNAPSHOT, `${JSON.stringify(now, null, 1)}\n`);
    return;
  }
  const pinned = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as Record<string, Entry>;
  assert.deepEqual(Object.keys(now), Object.keys(pinned), 'the list of pinned queries changed: regenerate the snapshot');
  for (const key of Object.keys(pinned)) {
    // Stringified to compare byte for byte (key order of params included).
    assert.equal(JSON.stringify(now[key]), JSON.stringify(pinned[key]), key);
  }
});
