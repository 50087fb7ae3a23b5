/**
 * Feeds the messages of a log request body (RowBinary in LOG_EVENT_COLUMNS order, see
 * log-wal-codec.ts) to a block's 4-gram filter; a sealed (KMS) row makes the filter match
 * everything, since sealed rows are always read (log-search-blocks.ts).
 */
import type { GramFilter } from './gram-filter.ts';

export function addLogMessages(body: Uint8Array, filter: GramFilter): void {
  let pos = 0;
  while (pos < body.length) {
    for (let i = 0; i < 4; i++) pos = skipString(body, pos);
    pos += 24;
    const messageStart = varUIntEnd(body, pos);
    const messageEnd = messageStart + varUInt(body, pos);
    pos = skipString(body, messageEnd);
    if (pos - messageEnd > 1) filter.matchAll();
    else filter.add(body, messageStart, Math.min(messageEnd, body.length));
  }
}

function varUInt(b: Uint8Array, pos: number): number {
  let n = 0;
  let mul = 1;
  for (;;) {
    const x = b[pos++] ?? 0;
    n += (x & 0x7f) * mul;
    if (x < 0x80) return n;
    mul *= 0x80;
  }
}

function varUIntEnd(b: Uint8Array, pos: number): number {
  while ((b[pos++] ?? 0) >= 0x80);
  return pos;
}

function skipString(b: Uint8Array, pos: number): number {
  return varUIntEnd(b, pos) + varUInt(b, pos);
}
