/**
 * The worker thread that builds the log heads' block filters (gram-worker.ts), off the request
 * thread: hashing every 4-gram of every message costs ~0.4 µs per 200-byte event, which on the
 * event loop took ~10 % off PutLogEvents end to end (`npm run bench -- ingest-logs`, the head full:
 * the request thread is the limit); here the request thread pays one copy of the request body.
 * One worker per process (~13 MB), started on first use. Heads send their request bodies in order,
 * tagged with the part they belong to, and ask for the finished filters at a drain.
 *
 * A worker that dies loses the filters it held: drains waiting on it fail, later drains lack those
 * parts, and the head writes a match-everything filter for any part without one (reads stay exact).
 */
import { Worker } from 'node:worker_threads';
import type { FinishedFilter } from './gram-filter.ts';
import type { GramReply, GramRequest } from './gram-worker.ts';

/** How long a flush waits for its filters (the worker hashes ~2 M events/s; a drain holds ≤ 256 MiB). */
const DRAIN_TIMEOUT_MS = 30_000;

export class GramWorker {
  private worker?: Worker;
  private nextId = 1;
  private nextHead = 1;
  private readonly waiting = new Map<number, { resolve: (f: Map<number, FinishedFilter>) => void; reject: (e: Error) => void }>();

  /** A new head's id. */
  head(): number {
    return this.nextHead++;
  }

  /** Adds a request body (copied) to part `part` of head `head`; parts only grow. */
  add(head: number, part: number, body: Buffer): void {
    const copy = new Uint8Array(body);
    this.post({ kind: 'add', head, part, body: copy }, [copy.buffer]);
  }

  /**
   * Closes the head's open part; resolves with every part's filter since the last drain. Rejects
   * (the head then writes match-everything filters) if the worker dies or has not answered within
   * `timeoutMs`: a flush must not wait on it forever.
   */
  drain(head: number, timeoutMs = DRAIN_TIMEOUT_MS): Promise<Map<number, FinishedFilter>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.waiting.delete(id)) return;
        if (this.waiting.size === 0) this.worker?.unref();
        const e = new Error(`block filter worker did not answer within ${timeoutMs} ms`);
        process.emitWarning(`log search filters: ${e.message}; the blocks of this flush will be read in full`);
        reject(e);
      }, timeoutMs);
      timer.unref();
      const done = <A extends unknown[]>(f: (...a: A) => void) => (...a: A) => {
        clearTimeout(timer);
        f(...a);
      };
      this.waiting.set(id, { resolve: done(resolve), reject: done(reject) });
      try {
        this.post({ kind: 'drain', head, id });
      } catch (e) {
        this.waiting.delete(id);
        clearTimeout(timer);
        reject(e as Error);
        return;
      }
      // Held open only while a drain waits: an idle worker must not keep the process alive.
      if (this.waiting.size === 1) this.worker?.ref();
    });
  }

  /** Stops the worker (its filters are lost: those parts get match-everything filters); the next use starts a new one. */
  async terminate(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.worker = undefined;
    for (const waiter of this.waiting.values()) waiter.reject(new Error('block filter worker stopped'));
    this.waiting.clear();
    await w.terminate();
  }

  private post(m: GramRequest, transfer: ArrayBuffer[] = []): void {
    (this.worker ?? this.start()).postMessage(m, transfer);
  }

  private start(): Worker {
    // No inherited flags: the entry registers its own loader, and some parent flags (--input-type,
    // --eval) are refused for a worker file.
    const w = new Worker(new URL('./gram-worker-entry.mjs', import.meta.url), { execArgv: [] });
    w.unref();
    w.on('message', (m: GramReply) => {
      const waiter = this.waiting.get(m.id);
      if (!waiter) return;
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) w.unref();
      waiter.resolve(new Map(m.filters.map(([part, log2, bits]) => [part, { log2, bits: Buffer.from(bits.buffer, bits.byteOffset, bits.byteLength) }])));
    });
    const fail = (e: Error) => {
      // 'error' is followed by 'exit'; by then a new worker may be serving.
      if (this.worker !== w) return;
      this.worker = undefined;
      // Searches stay exact (the parts it held are read in full); say why they got slower.
      process.emitWarning(`log search filters: ${e.message}; the blocks it held will be read in full`);
      for (const waiter of this.waiting.values()) waiter.reject(e);
      this.waiting.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`block filter worker exited (code ${code})`)));
    this.worker = w;
    return w;
  }
}

let shared: GramWorker | undefined;

/** The process's block-filter worker. */
export const gramWorker = (): GramWorker => (shared ??= new GramWorker());
