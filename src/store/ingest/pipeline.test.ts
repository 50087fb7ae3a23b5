import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { IngestOverloadedError, StoreClosedError } from '../telemetry/group-commit.ts';
import { CHECKPOINT_FILE, readCheckpoint } from './checkpoint.ts';
import { createIngestPipeline } from './pipeline.ts';
import type { Head, IngestPipelineOptions, WalCodec } from './types.ts';
import { WalWriteError, nodeWalFileSystem, type WalFile, type WalFileSystem } from './wal.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'pipeline-'));
const codec: WalCodec<string> = {
  encode: (rows) => Buffer.from(JSON.stringify(rows)),
  decode: (payload) => JSON.parse(payload.toString()) as string[],
};

interface Insert {
  token: string;
  rows: string[];
}

/**
 * A head of strings over a fake engine that deduplicates by token like ClickHouse does.
 * `failures` makes the next inserts throw; `gate` holds inserts until it is opened.
 */
class TestStore {
  rows: string[] = [];
  attempts: Insert[] = [];
  stored: Insert[] = [];
  failures = 0;
  /** When set, an insert stores its rows (or not) and then waits for this promise. */
  gate: Promise<void> | undefined;
  storeBeforeGate = false;

  readonly head: Head<string>;

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- getters need the store
    const self = this;
    this.head = {
      add: (rows) => void self.rows.push(...rows),
      get rows() {
        return self.rows.length;
      },
      get bytes() {
        return self.rows.length * 100;
      },
      drain: () => {
        const batch = self.rows;
        self.rows = [];
        return { rows: batch.length, insert: (token) => self.insert(token, batch) };
      },
    };
  }

  get storedRows(): string[] {
    return this.stored.flatMap((i) => i.rows);
  }

  private async insert(token: string, rows: string[]): Promise<void> {
    this.attempts.push({ token, rows });
    if (this.failures > 0) {
      this.failures--;
      throw new Error('engine unavailable');
    }
    const store = (): void => {
      if (!this.stored.some((s) => s.token === token)) this.stored.push({ token, rows });
    };
    if (this.gate) {
      if (this.storeBeforeGate) store();
      await this.gate;
      return;
    }
    store();
  }
}

/** Opens a pipeline on `dir` over a fresh fake engine that already holds `stored` (replay starts at once). */
async function open_(dir: string, opts: Partial<IngestPipelineOptions> = {}, fs?: WalFileSystem, stored: Insert[] = []) {
  const s = new TestStore();
  s.stored = [...stored];
  const p = await createIngestPipeline(codec, s.head, { dir, fsync: false, flushIntervalMs: 60_000, retryDelayMs: 5, ...opts }, { fs });
  return { p, s };
}

const until = async (cond: () => boolean, ms = 1000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 2));
  assert.ok(cond(), 'condition not reached');
};

test('rows reach the head only once their WAL record is durable', async () => {
  const { p, s } = await open_(tmp());
  const done = p.append(['a', 'b']);
  assert.equal(s.head.rows, 0);
  assert.equal(p.pending, false);
  await done;
  assert.deepEqual(s.rows, ['a', 'b']);
  assert.equal(p.pending, true);
  await p.close();
});

test('a failed WAL write rejects the append and leaves the head untouched', async () => {
  let fail = false;
  const fs: WalFileSystem = {
    syncDir: nodeWalFileSystem.syncDir,
    openAppend: async (path) => {
      const fh = await open(path, 'a');
      return {
        writev: ((bufs: Buffer[]) => fail
          ? Promise.reject(Object.assign(new Error('disk full'), { code: 'ENOSPC' }))
          : fh.writev(bufs)) as WalFile['writev'],
        datasync: () => fh.datasync(),
        truncate: (n?: number) => fh.truncate(n),
        close: () => fh.close(),
      };
    },
  };
  const { p, s } = await open_(tmp(), {}, fs);
  fail = true;
  await assert.rejects(p.append(['lost']), WalWriteError);
  assert.equal(s.head.rows, 0);
  fail = false;
  await p.append(['kept']);
  await p.sync();
  assert.deepEqual(s.storedRows, ['kept']);
  await p.close();
});

test('the head is flushed once it holds flushRows rows, or flushBytes bytes', async () => {
  const byRows = await open_(tmp(), { flushRows: 3 });
  await byRows.p.append(['a', 'b']);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(byRows.s.attempts.length, 0);
  await byRows.p.append(['c']);
  await until(() => byRows.s.stored.length === 1);
  assert.deepEqual(byRows.s.storedRows, ['a', 'b', 'c']);
  await byRows.p.close();

  const byBytes = await open_(tmp(), { flushBytes: 250 });
  await byBytes.p.append(['a', 'b']);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(byBytes.s.attempts.length, 0);
  await byBytes.p.append(['c']);
  await until(() => byBytes.s.stored.length === 1);
  await byBytes.p.close();
});

test('the head is flushed flushIntervalMs after its first row', async () => {
  const { p, s } = await open_(tmp(), { flushIntervalMs: 80 });
  const t0 = performance.now();
  await p.append(['a']);
  await new Promise((r) => setTimeout(r, 30));
  await p.append(['b']);
  assert.equal(s.attempts.length, 0);
  await until(() => s.stored.length === 1);
  const waited = performance.now() - t0;
  assert.ok(waited >= 75 && waited < 400, `flushed after ${waited} ms`);
  assert.deepEqual(s.storedRows, ['a', 'b']);
  await p.close();
});

test('sync() resolves once everything appended before it is inserted, waiting for a flush in flight', async () => {
  const { p, s } = await open_(tmp());
  await p.sync(); // nothing pending
  assert.equal(s.attempts.length, 0);
  await p.append(['a']);
  let open!: () => void;
  s.gate = new Promise((r) => (open = r));
  s.storeBeforeGate = true;
  const first = p.sync(); // flushes 'a', held at the gate
  await until(() => s.attempts.length === 1);
  const appended = p.append(['b']); // not yet durable when sync() is called
  const second = p.sync();
  let secondDone = false;
  void second.then(() => (secondDone = true));
  await appended;
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(secondDone, false, 'a flush is in flight: one at a time');
  assert.equal(s.attempts.length, 1);
  s.gate = undefined;
  open();
  await Promise.all([first, second]);
  assert.deepEqual(s.attempts.map((a) => a.rows), [['a'], ['b']]);
  assert.equal(p.pending, false);
  await p.close();
});

test('append fails fast with IngestOverloadedError while the held rows reach maxHeadBytes', async () => {
  const { p, s } = await open_(tmp(), { maxHeadBytes: 300 });
  s.gate = new Promise(() => undefined); // the engine never answers
  await p.append(['a', 'b']);
  void p.sync();
  await until(() => s.attempts.length === 1);
  await p.append(['c']); // 200 (in flight) + 0 < 300
  await assert.rejects(p.append(['d']), IngestOverloadedError); // 200 + 100 ≥ 300
  assert.equal(p.stats().headBytes, 300);
});

test('a failed insert is retried with the same token until it succeeds; no row is lost or doubled', async () => {
  const errors: string[] = [];
  const { p, s } = await open_(tmp(), { logger: (level, msg) => errors.push(`${level}: ${msg}`) });
  s.failures = 3;
  await p.append(['a', 'b']);
  await p.sync();
  assert.equal(s.attempts.length, 4);
  assert.equal(new Set(s.attempts.map((a) => a.token)).size, 1);
  assert.deepEqual(s.storedRows, ['a', 'b']);
  assert.equal(p.stats().failedFlushes, 3);
  assert.equal(errors.filter((e) => e.startsWith('error: flush')).length, 3);
  await p.close();
});

test('after a crash, unflushed rows are replayed and inserted exactly once; flushed ones are not replayed', async () => {
  const dir = tmp();
  const backup = tmp();
  const a = await open_(dir);
  await a.p.append(['flushed']);
  cpSync(dir, backup, { recursive: true }); // keep the segment that the flush will release
  await a.p.sync();
  assert.deepEqual(a.s.storedRows, ['flushed']);
  // sync() returns once the rows are in the engine; the checkpoint that records it follows.
  while (readCheckpoint(dir)?.intent !== undefined) await new Promise((r) => setTimeout(r, 1));
  cpSync(backup, dir, { recursive: true, filter: (src) => !src.endsWith(CHECKPOINT_FILE) });
  await a.p.append(['x', 'y']);
  await a.p.append(['z']);
  // Crash: the pipeline is dropped without close().

  const b = await open_(dir);
  await b.p.close();
  assert.deepEqual(b.s.attempts.map((x) => x.rows), [['x', 'y', 'z']], 'only records above the checkpoint are replayed');
  assert.deepEqual(b.s.storedRows, ['x', 'y', 'z']);

  const c = await open_(dir);
  assert.equal(c.s.head.rows, 0, 'nothing is replayed twice');
  await c.p.append(['after']);
  await c.p.close();
  assert.deepEqual(c.s.storedRows, ['after']);
});

test('a long backlog is replayed in flush-sized batches, not all at once', async () => {
  const dir = tmp();
  const a = await open_(dir);
  for (let i = 0; i < 10; i++) await a.p.append([`r${i}`]);
  // Crash without close; the next process flushes every 3 rows.
  const b = await open_(dir, { flushRows: 3 });
  assert.ok(b.s.attempts.length >= 3, 'open() flushed while replaying');
  assert.ok(b.s.attempts.every((x) => x.rows.length <= 3));
  await b.p.close();
  assert.deepEqual(b.s.storedRows, Array.from({ length: 10 }, (_, i) => `r${i}`));
});

test('a flush intent left pending by a crash is redone first, with exactly its rows and its token', async () => {
  const dir = tmp();
  const a = await open_(dir);
  a.s.gate = new Promise(() => undefined);
  a.s.storeBeforeGate = true; // the engine stored the batch, then the process died
  await a.p.append(['a', 'b']);
  void a.p.sync();
  await until(() => a.s.attempts.length === 1);
  await a.p.append(['c']);
  const [{ token }] = a.s.attempts;
  const intent = JSON.parse(readFileSync(join(dir, CHECKPOINT_FILE), 'utf8')) as { intent?: { token: string } };
  assert.equal(intent.intent?.token, token);

  const b = await open_(dir, {}, undefined, a.s.stored); // the same engine
  await b.p.close();
  assert.deepEqual(b.s.attempts.map((x) => x.rows), [['a', 'b'], ['c']]);
  assert.equal(b.s.attempts[0]!.token, token);
  assert.notEqual(b.s.attempts[1]!.token, token);
  assert.deepEqual(b.s.storedRows, ['a', 'b', 'c'], 'the re-insert was dropped as a duplicate');
});

test('close() flushes everything, releases the WAL and refuses later appends', async () => {
  const dir = tmp();
  const { p, s } = await open_(dir);
  await Promise.all([p.append(['a']), p.append(['b'])]);
  await p.close();
  assert.deepEqual(s.storedRows, ['a', 'b']);
  assert.equal(p.pending, false);
  await assert.rejects(p.append(['c']), StoreClosedError);
  const again = await open_(dir);
  assert.equal(again.s.head.rows, 0);
  assert.ok(again.p.stats().walBytes <= 32, 'released segments are gone');
  await again.p.close();
});

test('close() gives up on an engine that keeps failing and leaves the rows to the next open', async () => {
  const dir = tmp();
  const logs: string[] = [];
  const { p, s } = await open_(dir, { closeTimeoutMs: 30, logger: (level, msg) => logs.push(level + ' ' + msg) });
  s.failures = 1_000;
  await p.append(['a']);
  await p.close();
  assert.ok(logs.some((l) => l.includes('stay in the WAL')));
  const again = await open_(dir);
  await again.p.close();
  assert.deepEqual(again.s.storedRows, ['a']);
  assert.equal(again.s.attempts[0]!.token, s.attempts[0]!.token, 'the pending intent is redone with its token');
});

/** Batches in the child's "engine" file; a line torn by the kill was never stored. */
function storedBatches(file: string): Insert[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as Insert];
    } catch {
      return [];
    }
  });
}

test('kill -9 during ingest: every acknowledged row is in the engine exactly once after a restart', async () => {
  const dir = tmp();
  const storeFile = join(tmp(), 'engine.jsonl');
  const acked: number[] = [];
  for (let round = 0; round < 3; round++) {
    const child = spawn(process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'testdata', 'crash-child.ts'), dir, storeFile, String(round * 1e7)],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((r) => child.once('exit', r));
    try {
      // A child process with tsx takes seconds to start on a busy machine.
      await until(() => out.split('\n').length > 2_000, 60_000);
    } finally {
      // Killed whatever happened: a child left writing would keep the test process alive.
      child.kill('SIGKILL');
      await exited;
    }
    acked.push(...out.split('\n').slice(0, -1).map(Number));
    // Restart: replay into the same (deduplicating) engine.
    const before = storedBatches(storeFile);
    const { p, s } = await open_(dir, {}, undefined, before);
    await p.close();
    appendFileSync(storeFile, s.stored.slice(before.length).map((b) => JSON.stringify(b) + '\n').join(''));
    // The child's rows are numbers (its codec is JSON); the fake engine only compares them.
    const counts = new Map<string, number>();
    for (const b of storedBatches(storeFile)) for (const n of b.rows) counts.set(String(n), (counts.get(String(n)) ?? 0) + 1);
    for (const n of acked) assert.ok(counts.has(String(n)), `acknowledged row ${n} was lost (round ${round})`);
    assert.deepEqual([...counts].filter(([, c]) => c > 1), [], `no row is stored twice (round ${round})`);
  }
});

test('readWithHead: every acknowledged row is in the head snapshot or in the engine, exactly once', async () => {
  const { p, s } = await open_(tmp());
  const snapshot = (): string[] => [...s.rows];
  const stored = async (): Promise<string[]> => [...s.storedRows];
  await p.append(['a', 'b']);
  assert.deepEqual(await p.readWithHead(snapshot, stored), [['a', 'b'], []], 'nothing flushed: no wait, no flush');
  assert.equal(s.attempts.length, 0);

  // A batch in flight is waited for: its rows are in neither place until its insert returns.
  let open!: () => void;
  s.gate = new Promise((r) => (open = r));
  s.storeBeforeGate = true;
  const flushed = p.sync();
  await until(() => s.attempts.length === 1);
  await p.append(['c']);
  let read: [string[] | undefined, string[]] | undefined;
  const reading = p.readWithHead(snapshot, stored).then((r) => (read = r));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(read, undefined, 'waits for the batch in flight');
  s.gate = undefined;
  open();
  await Promise.all([flushed, reading]);
  assert.deepEqual(read, [['c'], ['a', 'b']]);

  // A flush asked for while a read's query runs waits for the query (briefly), not the reverse.
  await p.append(['d']);
  let queries = 0;
  let flushing: Promise<void> | undefined;
  const slow = async (): Promise<string[]> => {
    queries++;
    flushing ??= p.sync();
    await new Promise((r) => setTimeout(r, 30));
    return [...s.storedRows];
  };
  assert.deepEqual(await p.readWithHead(snapshot, slow), [['c', 'd'], ['a', 'b']]);
  assert.equal(queries, 1, 'the drain waited for the query');
  await flushing;

  // A batch drained while the query runs may or may not be in what the query saw: read again.
  await p.append(['e']);
  queries = 0;
  const drainingOnce = async (): Promise<string[]> => {
    if (queries++ === 0) await p.sync();
    return [...s.storedRows];
  };
  assert.deepEqual(await p.readWithHead(snapshot, drainingOnce), [[], ['a', 'b', 'c', 'd', 'e']]);
  assert.equal(queries, 2);

  // Heads flushing back to back: the read falls back to flush-before-read (no snapshot).
  await p.append(['f']);
  const drainingAlways = async (): Promise<string[]> => {
    await p.append([`x${queries++}`]);
    await p.sync();
    return [...s.storedRows];
  };
  const [snap, rows] = await p.readWithHead(snapshot, drainingAlways);
  assert.equal(snap, undefined);
  assert.ok(['a', 'b', 'c', 'd', 'e', 'f'].every((r) => rows.includes(r)));
  await p.close();
});
