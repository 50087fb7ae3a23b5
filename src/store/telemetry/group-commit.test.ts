import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommitter, IngestOverloadedError, StoreClosedError, type RowEncoder } from './group-commit.ts';

/** An inserter whose inserts complete only when the test says so. */
class FakeEngine {
  readonly batches: { rows: string[]; settle: (err?: Error) => void }[] = [];
  inserter = (payload: Buffer): Promise<void> => new Promise<void>((resolve, reject) => {
    // Copy: the committer reuses the buffer once the insert settles.
    const rows = payload.toString('utf8').split('\n').filter((l) => l !== '');
    this.batches.push({ rows, settle: (err) => (err ? reject(err) : resolve()) });
  });
}

const encodeStrings: RowEncoder<string> = (rows, out) => {
  for (const r of rows) {
    if (r === 'BAD') throw new TypeError('bad row');
    out.write(`${r}\n`);
  }
};

const turn = () => new Promise<void>((r) => setImmediate(r));

/** Tracks whether a promise has settled, without awaiting it. */
function watch(p: Promise<void>) {
  const s = { done: false, error: undefined as unknown };
  p.then(() => { s.done = true; }, (e) => { s.done = true; s.error = e; });
  return s;
}

test('an idle committer sends a lone request on the next loop turn', async () => {
  const fake = new FakeEngine();
  const gc = new GroupCommitter(fake.inserter, encodeStrings, { maxConcurrentInserts: 1 });
  const p = watch(gc.append(['a', 'b']));
  await turn();
  assert.equal(fake.batches.length, 1);
  assert.deepEqual(fake.batches[0]!.rows, ['a', 'b']);
  assert.equal(p.done, false, 'must not resolve before the insert finished');
  fake.batches[0]!.settle();
  await turn();
  assert.equal(p.done, true);
  assert.equal(p.error, undefined);
});

test('appends in the same loop turn share one insert', async () => {
  const fake = new FakeEngine();
  const gc = new GroupCommitter(fake.inserter, encodeStrings, { maxConcurrentInserts: 1 });
  const ps = [gc.append(['a']), gc.append(['b']), gc.append(['c'])];
  await turn();
  assert.equal(fake.batches.length, 1);
  assert.deepEqual(fake.batches[0]!.rows, ['a', 'b', 'c']);
  fake.batches[0]!.settle();
  await Promise.all(ps);
});

test('rows appended while an insert is in flight go out together when it finishes', async () => {
  const fake = new FakeEngine();
  const gc = new GroupCommitter(fake.inserter, encodeStrings, { maxConcurrentInserts: 1 });
  const first = watch(gc.append(['a']));
  await turn();
  const later = [1, 2, 3, 4].map((i) => { const p = watch(gc.append([`r${i}`])); return p; });
  await turn();
  assert.equal(fake.batches.length, 1, 'nothing new is sent while the slot is busy');
  fake.batches[0]!.settle();
  await turn();
  assert.equal(first.done, true);
  assert.equal(fake.batches.length, 2);
  assert.deepEqual(fake.batches[1]!.rows, ['r1', 'r2', 'r3', 'r4']);
  assert.ok(later.every((p) => !p.done), 'later callers wait for their own insert');
  fake.batches[1]!.settle();
  await turn();
  assert.ok(later.every((p) => p.done && p.error === undefined));
});

test('a failed insert rejects exactly the callers whose rows were in it', async () => {
  const fake = new FakeEngine();
  const gc = new GroupCommitter(fake.inserter, encodeStrings, { maxConcurrentInserts: 1 });
  const a = watch(gc.append(['a']));
  await turn();
  const b = watch(gc.append(['b']));
  fake.batches[0]!.settle(new Error('disk full'));
  await turn();
  assert.equal((a.error as Error).message, 'disk full');
  assert.equal(b.done, false);
  fake.batches[1]!.settle();
  await turn();
  assert.equal(b.done, true);
  assert.equal(b.error, undefined);
  assert.equal(gc.stats().failedBatches, 1);
});

test('a row that cannot be encoded fails only its own request', async () => {
  const fake = new FakeEngine();
  const gc = new GroupCommitter(fake.inserter, encodeStrings, { maxConcurrentInserts: 1 });
  const ok1 = gc.append(['a']);
  await assert.rejects(gc.append(['x', 'BAD']), TypeError);
  const ok2 = gc.append(['b']);
  await turn();
  assert.deepEqual(fake.batches[0]!.rows, ['a', 'b'], 'the half-encoded request left no trace');
  fake.batches[0]!.settle();
  await Promise.all([ok1, ok2]);
});

test('maxBatchRows splits batches between requests, never inside one', async () => {
  const fake = new FakeEngine();
  const gc = new GroupCommitter(fake.inserter, encodeStrings, { maxConcurrentInserts: 1, maxBatchRows: 3 });
  const ps = [gc.append(['a', 'b']), gc.append(['c', 'd']), gc.append(['e', 'f', 'g', 'h'])];
  await turn();
  for (let i = 0; i < 3; i++) {
    fake.batches[i]!.settle();
    await turn();
  }
  await Promise.all(ps);
  assert.deepEqual(fake.batches.map((b) => b.rows), [['a', 'b'], ['c', 'd'], ['e', 'f', 'g', 'h']]);
});

test('maxBatchBytes seals a batch once it reaches the size', async () => {
  const fake = new FakeEngine();
  const gc = new GroupCommitter(fake.inserter, encodeStrings, { maxConcurrentInserts: 1, maxBatchBytes: 4 });
  const ps = [gc.append(['aaaa']), gc.append(['b'])];
  await turn();
  fake.batches[0]!.settle();
  await turn();
  fake.batches[1]!.settle();
  await Promise.all(ps);
  assert.deepEqual(fake.batches.map((b) => b.rows), [['aaaa'], ['b']]);
});

test('two insert slots let a second batch start before the first finishes', async () => {
  const fake = new FakeEngine();
  const gc = new GroupCommitter(fake.inserter, encodeStrings, { maxConcurrentInserts: 2 });
  const a = gc.append(['a']);
  await turn();
  const b = gc.append(['b']);
  await turn();
  const c = gc.append(['c']);
  await turn();
  assert.equal(fake.batches.length, 2);
  fake.batches[1]!.settle();
  await b;
  await turn();
  assert.equal(fake.batches.length, 3);
  fake.batches[0]!.settle();
  fake.batches[2]!.settle();
  await Promise.all([a, c]);
});

test('maxDelayMs holds a batch back so that more rows can join it', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const fake = new FakeEngine();
  const gc = new GroupCommitter(fake.inserter, encodeStrings, { maxConcurrentInserts: 1, maxDelayMs: 30 });
  const a = gc.append(['a']);
  await turn();
  const b = gc.append(['b']);
  await turn();
  assert.equal(fake.batches.length, 0);
  t.mock.timers.tick(29);
  assert.equal(fake.batches.length, 0);
  t.mock.timers.tick(1);
  assert.equal(fake.batches.length, 1);
  assert.deepEqual(fake.batches[0]!.rows, ['a', 'b']);
  fake.batches[0]!.settle();
  await Promise.all([a, b]);
});

test('flush waits for buffered and in-flight rows and sends a delayed batch at once', async () => {
  const fake = new FakeEngine();
  const gc = new GroupCommitter(fake.inserter, encodeStrings, { maxConcurrentInserts: 1, maxDelayMs: 60_000 });
  const a = gc.append(['a']);
  const flushed = watch(gc.flush());
  await turn();
  assert.equal(fake.batches.length, 1);
  assert.equal(flushed.done, false);
  fake.batches[0]!.settle();
  await a;
  await turn();
  assert.equal(flushed.done, true);
});

test('flush resolves even when an insert failed (the appender gets the error)', async () => {
  const fake = new FakeEngine();
  const gc = new GroupCommitter(fake.inserter, encodeStrings, { maxConcurrentInserts: 1 });
  const a = watch(gc.append(['a']));
  const flushed = gc.flush();
  await turn();
  fake.batches[0]!.settle(new Error('boom'));
  await flushed;
  assert.equal((a.error as Error).message, 'boom');
});

test('appends fail fast with IngestOverloadedError beyond maxQueuedBytes', async () => {
  const fake = new FakeEngine();
  const gc = new GroupCommitter(fake.inserter, encodeStrings, { maxConcurrentInserts: 1, maxQueuedBytes: 8 });
  const a = gc.append(['123456789']);
  await assert.rejects(gc.append(['x']), IngestOverloadedError);
  await turn();
  fake.batches[0]!.settle();
  await a;
  const b = gc.append(['x']);
  await turn();
  fake.batches[1]!.settle();
  await b;
});

test('close refuses new appends after flushing pending ones', async () => {
  const fake = new FakeEngine();
  const gc = new GroupCommitter(fake.inserter, encodeStrings);
  const a = gc.append(['a']);
  const closed = gc.close();
  await assert.rejects(gc.append(['b']), StoreClosedError);
  await turn();
  fake.batches[0]!.settle();
  await Promise.all([a, closed]);
});

test('under a steady stream of requests, batches grow while inserts are slow', async () => {
  const fake = new FakeEngine();
  const gc = new GroupCommitter(fake.inserter, encodeStrings, { maxConcurrentInserts: 1 });
  const all: Promise<void>[] = [];
  // 10 requests per loop turn; each insert takes 5 turns.
  for (let t = 0; t < 50; t++) {
    for (let i = 0; i < 10; i++) all.push(gc.append([`${t}.${i}`]));
    await turn();
    const last = fake.batches.at(-1);
    if (last && t % 5 === 4) last.settle();
  }
  while (gc.stats().rows < 500) {
    for (const b of fake.batches) b.settle();
    await turn();
  }
  await Promise.all(all);
  assert.equal(gc.stats().rows, 500);
  assert.ok(fake.batches.length <= 12, `expected ~10 batches, got ${fake.batches.length}`);
});

test('rejects nonsense options', () => {
  const fake = new FakeEngine();
  assert.throws(() => new GroupCommitter(fake.inserter, encodeStrings, { maxBatchRows: 0 }), RangeError);
  assert.throws(() => new GroupCommitter(fake.inserter, encodeStrings, { maxDelayMs: -1 }), RangeError);
});
