import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SqlEngine } from '../telemetry/engine.ts';
import { readYourWrites } from './read-your-writes.ts';

function fakes() {
  const calls: string[] = [];
  const engine: SqlEngine = {
    query: async <T>(sql: string) => {
      calls.push(`query ${sql}`);
      return [] as T[];
    },
    exec: async (sql) => void calls.push(`exec ${sql}`),
    select: async (sql) => (calls.push(`select ${sql}`), { columns: [], rows: [], bytesRead: 0, rowsRead: 0 }),
    insert: async (table) => void calls.push(`insert ${table}`),
    close: async () => undefined,
  };
  const pipeline = (name: string) => {
    const p = {
      pending: true,
      syncs: 0,
      release: (): void => undefined,
      sync: () => {
        p.syncs++;
        calls.push(`sync ${name}`);
        return new Promise<void>((resolve) => {
          p.release = () => {
            p.pending = false;
            resolve();
          };
        });
      },
    };
    return p;
  };
  return { calls, engine, pipeline };
}

test('a read of a table with pending rows waits for that pipeline only', async () => {
  const { calls, engine, pipeline } = fakes();
  const logs = pipeline('logs');
  const metrics = pipeline('metrics');
  const e = readYourWrites(engine, [{ tables: /\blog_events\b/, pipeline: logs }, { tables: /\bmetric_/, pipeline: metrics }]);
  const read = e.query('SELECT count() FROM log_events');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(calls, ['sync logs'], 'the query waits for the sync');
  logs.release();
  await read;
  assert.deepEqual(calls, ['sync logs', 'query SELECT count() FROM log_events']);
  assert.equal(metrics.syncs, 0);
});

test('nothing pending: no sync; inserts always pass straight through', async () => {
  const { calls, engine, pipeline } = fakes();
  const logs = pipeline('logs');
  const e = readYourWrites(engine, [{ tables: /log_events/, pipeline: logs }]);
  await e.insert('log_events', ['a'], Buffer.from('x'), 'TSV'); // would deadlock if it waited for a flush
  logs.pending = false;
  await e.exec('ALTER TABLE log_events DELETE WHERE 1');
  assert.deepEqual(calls, ['insert log_events', 'exec ALTER TABLE log_events DELETE WHERE 1']);
});

test('the wait is bounded: a pipeline that cannot flush does not block reads past maxWaitMs', async () => {
  const { calls, engine, pipeline } = fakes();
  const logs = pipeline('logs');
  const e = readYourWrites(engine, [{ tables: /log_events/, pipeline: logs }], 30);
  const t0 = performance.now();
  await e.query('SELECT 1 FROM log_events');
  assert.ok(performance.now() - t0 >= 25);
  assert.deepEqual(calls, ['sync logs', 'query SELECT 1 FROM log_events']);
});
