/**
 * One X-Ray daemon datagram: the header line `{"format":"json","version":1}`, `\n`, then one segment
 * document (shared/protocols.md §7: the SDK's header has no spaces, AWS's docs show spaces — the
 * header is parsed as JSON, not compared as text).
 */
export type Datagram = { ok: true; document: string } | { ok: false; reason: string };

export function parseDatagram(buf: Buffer): Datagram {
  const nl = buf.indexOf(0x0a);
  if (nl < 0) return { ok: false, reason: 'no header line' };
  let header: unknown;
  try {
    header = JSON.parse(buf.subarray(0, nl).toString('utf8'));
  } catch {
    return { ok: false, reason: 'header is not JSON' };
  }
  const h = header as { format?: unknown; version?: unknown } | null;
  if (!h || h.format !== 'json' || h.version !== 1) return { ok: false, reason: 'unsupported header (expected {"format":"json","version":1})' };
  const document = buf.subarray(nl + 1).toString('utf8').trim();
  return document ? { ok: true, document } : { ok: false, reason: 'empty document' };
}
