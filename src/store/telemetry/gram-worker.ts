/**
 * The body of the worker thread that builds the log heads' block filters (gram-workers.ts): it
 * keeps, per head, the open part's filter and the finished ones until the head drains them.
 */
import { parentPort } from 'node:worker_threads';
import { type FinishedFilter, GramFilter } from './gram-filter.ts';
import { addLogMessages } from './log-message-grams.ts';

export type GramRequest =
  | { kind: 'add'; head: number; part: number; body: Uint8Array }
  | { kind: 'drain'; head: number; id: number };

export interface GramReply {
  id: number;
  filters: [part: number, log2: number, bits: Uint8Array][];
}

interface HeadState {
  part: number;
  builder: GramFilter;
  finished: Map<number, FinishedFilter>;
}

const heads = new Map<number, HeadState>();

function close(s: HeadState): void {
  if (s.part >= 0) s.finished.set(s.part, s.builder.finish());
  s.part = -1;
}

parentPort!.on('message', (m: GramRequest) => {
  let s = heads.get(m.head);
  if (!s) heads.set(m.head, (s = { part: -1, builder: new GramFilter(), finished: new Map() }));
  if (m.kind === 'add') {
    if (m.part !== s.part) {
      close(s);
      s.part = m.part;
    }
    addLogMessages(m.body, s.builder);
    return;
  }
  close(s);
  const reply: GramReply = { id: m.id, filters: [...s.finished].map(([part, f]) => [part, f.log2, f.bits]) };
  s.finished.clear();
  parentPort!.postMessage(reply);
});
