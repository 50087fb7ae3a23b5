// Persistence across real process lifetimes: writers run as child processes (chDB binds one data
// directory per process, and a directory must never be open in two processes at once), this
// process opens the directory only after they are gone.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openTelemetry } from './index.ts';
import { migrate } from './migrations.ts';

const dir = mkdtempSync(join(tmpdir(), 'osprey-durability-'));
const indexUrl = new URL('./index.ts', import.meta.url).href;
const key = { account: '123456789012', region: 'us-east-1', logGroup: '/durable', logStream: 's' };

after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs a writer in a child process. It appends `batches` requests of 100 events with seq
 * `from + i`, printing the last seq of each request once append() resolved. With `graceful` it
 * closes the store and exits; otherwise it keeps going until killed.
 */
function writer(from: number, opts: { graceful: boolean; batches: number }) {
  const code = `
    import { openTelemetry } from ${JSON.stringify(indexUrl)};
    const tel = await openTelemetry({ kind: 'chdb', path: ${JSON.stringify(dir)} });
    const key = ${JSON.stringify(key)};
    let seq = ${from};
    for (let b = 0; b < ${opts.batches}; b++) {
      const rows = [];
      for (let i = 0; i < 100; i++, seq++) rows.push({ ...key, ts: 1700000000000 + seq, ingestTs: 1700000000000, seq: BigInt(seq), message: 'event ' + seq });
      await tel.logEvents.append(rows);
      process.stdout.write('acked ' + (seq - 1) + '\\n');
    }
    ${opts.graceful ? 'await tel.close();' : 'await new Promise(() => setInterval(() => {}, 1000));'}
  `;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
}

const exited = (child: ReturnType<typeof spawn>) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

test('acknowledged events survive a clean shutdown and a kill -9, and the schema is not migrated again', async () => {
  // 1. A clean run: 5 requests, then close().
  const clean = writer(0, { graceful: true, batches: 5 });
  assert.deepEqual(await exited(clean), { code: 0, signal: null });

  // 2. A run that is killed right after its 20th acknowledgement while it keeps appending.
  const killed = writer(500, { graceful: false, batches: 1_000_000 });
  let lastAcked = -1;
  let acks = 0;
  const done = exited(killed);
  for await (const line of createInterface({ input: killed.stdout! })) {
    lastAcked = Number(line.split(' ')[1]);
    if (++acks === 20) {
      killed.kill('SIGKILL');
      break;
    }
  }
  assert.equal((await done).signal, 'SIGKILL');

  // 3. Reopen here: everything acknowledged is there, in order, and nothing is torn.
  const tel = await openTelemetry({ kind: 'chdb', path: dir });
  try {
    assert.deepEqual(await migrate(tel.engine), [], 'migrations recorded by the first process are not rerun');
    const rows = await tel.logEvents.readStream({ ...key, limit: 1_000_000, forward: true });
    const seqs = rows.map((r) => Number(r.seq));
    const clean500 = seqs.filter((s) => s < 500);
    assert.deepEqual(clean500, Array.from({ length: 500 }, (_, i) => i));
    const fromKilled = seqs.filter((s) => s >= 500);
    assert.ok(fromKilled.length >= lastAcked - 500 + 1, `acked up to ${lastAcked}, found ${fromKilled.length} rows`);
    // Unacknowledged requests may or may not have landed, but only whole: the rows form a prefix
    // of the writer's sequence in whole requests.
    assert.deepEqual(fromKilled, Array.from({ length: fromKilled.length }, (_, i) => 500 + i));
    assert.equal(fromKilled.length % 100, 0);
    assert.equal(rows[0]!.message, 'event 0');
  } finally {
    await tel.close();
  }
});
