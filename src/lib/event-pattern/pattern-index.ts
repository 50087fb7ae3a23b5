/**
 * Rules indexed by the exact `source` (else `detail-type`) values their patterns require, so an
 * event is only checked against rules that could match it, not against every rule of the bus.
 */
import { parseEventJson } from './event-json.ts';
import type { CompiledPattern } from './event-pattern.ts';

interface Entry<T> { id: string; seq: number; pattern: CompiledPattern; value: T; bucket: Map<string, Set<Entry<T>>> | undefined; keys: string[] }

export class PatternIndex<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly bySource = new Map<string, Set<Entry<T>>>();
  private readonly byDetailType = new Map<string, Set<Entry<T>>>();
  private readonly unindexed = new Set<Entry<T>>();
  private seq = 0;

  /** Adds or replaces the rule `id`. */
  add(id: string, p: CompiledPattern, value: T): void {
    this.remove(id);
    const { source, detailType } = p.keys;
    const bucket = source ? this.bySource : detailType ? this.byDetailType : undefined;
    const keys = source ?? detailType ?? [];
    const entry: Entry<T> = { id, seq: this.seq++, pattern: p, value, bucket, keys };
    this.entries.set(id, entry);
    if (!bucket) {
      this.unindexed.add(entry);
      return;
    }
    for (const k of keys) {
      let set = bucket.get(k);
      if (!set) bucket.set(k, (set = new Set()));
      set.add(entry);
    }
  }

  remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    if (!entry.bucket) {
      this.unindexed.delete(entry);
      return;
    }
    for (const k of entry.keys) {
      const set = entry.bucket.get(k);
      set?.delete(entry);
      if (set?.size === 0) entry.bucket.delete(k);
    }
  }

  /** Values of the rules that could match the event (in the order they were added). */
  candidates(event: { source?: unknown; 'detail-type'?: unknown }): Iterable<T> {
    return this.candidateEntries(event).map((e) => e.value);
  }

  /** Values of the rules whose patterns match; `eventJson` (the same event as text) keeps number spellings. */
  match(event: unknown, eventJson?: string): T[] {
    // The text is read once (numbers keep their spelling) rather than once per candidate rule.
    const subject: unknown = eventJson !== undefined ? parseEventJson(eventJson) : event;
    const out: T[] = [];
    if (typeof subject !== 'object' || subject === null) return out;
    for (const entry of this.candidateEntries(subject)) if (entry.pattern.matches(subject)) out.push(entry.value);
    return out;
  }

  private candidateEntries(event: { source?: unknown; 'detail-type'?: unknown }): Entry<T>[] {
    const found = new Set<Entry<T>>(this.unindexed);
    collect(this.bySource, event.source, found);
    collect(this.byDetailType, event['detail-type'], found);
    return [...found].sort((a, b) => a.seq - b.seq);
  }
}

/** An event field may be a string or an array of them (any element can match). */
function collect<T>(bucket: Map<string, Set<Entry<T>>>, v: unknown, into: Set<Entry<T>>): void {
  if (bucket.size === 0) return;
  const values = Array.isArray(v) ? v.flat(Infinity) : [v];
  for (const x of values) {
    if (typeof x !== 'string') continue;
    for (const e of bucket.get(x) ?? []) into.add(e);
  }
}
