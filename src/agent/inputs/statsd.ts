/**
 * statsd: a StatsD listener (UDP, `service_address`, default :8125) as the agent's Telegraf-based
 * input parses it — `name:value|type[|@rate][|#tag:v,…]` lines, types c (counter; summed, scaled by
 * 1/rate), g (gauge; last value, `+`/`-` adjust it), s (set; distinct values counted), ms and h
 * (timing / histogram; every value, sent as a distribution); several `:value|type` parts per line,
 * `name,k=v` bucket tags and DogStatsD `#k:v` tags. Dots in names become `metric_separator` (default
 * `_`); the metric carries `metric_type` (counter, gauge, set, timing, histogram) and the tags as
 * dimensions. Each reading reports what arrived since the last one, then forgets it (Telegraf's
 * delete_* defaults: a gauge not sent again is not reported again).
 */
import type { Socket } from 'node:dgram';
import type { Logger } from '../../lib/logger.ts';
import type { HostInput, Sample } from './types.ts';
import { bindUdp } from './udp-listener.ts';

const TYPES: Record<string, string> = { c: 'counter', g: 'gauge', s: 'set', ms: 'timing', h: 'histogram' };

interface Series { name: string; tags: Record<string, string>; type: string; sum: number; last: number; set: Set<string>; values: Map<number, number> }

export interface StatsdLine { name: string; type: string; value: string; rate: number; tags: Record<string, string>; additive: boolean }

/** One line → its metrics (several `:value|type` parts share the name); undefined when malformed. */
export function parseStatsdLine(line: string, separator = '_'): StatsdLine[] | undefined {
  const tags: Record<string, string> = {};
  const segments = line.split('|').filter((seg) => {
    if (!seg.startsWith('#')) return true;
    for (const t of seg.slice(1).split(',')) {
      const [k, v] = t.split(/:(.*)/s, 2);
      if (k) tags[k] = v ?? '<empty>';
    }
    return false;
  });
  const bits = segments.join('|').split(':');
  if (bits.length < 2 || !bits[0]) return undefined;
  const [bucket, ...bucketTags] = bits[0].split(',');
  for (const kv of bucketTags) {
    const [k, v] = kv.split('=');
    if (k && v !== undefined) tags[k] = v;
  }
  const out: StatsdLine[] = [];
  for (const bit of bits.slice(1)) {
    const [value, type, rateText] = bit.split('|');
    if (!value || !type || !TYPES[type]) return undefined;
    const additive = /^[+-]/.test(value);
    if (additive && type !== 'g' && type !== 'c') return undefined;
    if (type !== 's' && !Number.isFinite(Number(value))) return undefined;
    const rate = rateText?.startsWith('@') ? Number(rateText.slice(1)) : 1;
    out.push({ name: bucket!.replaceAll('.', separator), type, value, rate: rate > 0 && rate <= 1 ? rate : 1, tags, additive });
  }
  return out;
}

export class StatsdInput implements HostInput {
  private readonly series = new Map<string, Series>();
  private socket: Socket | undefined;
  dropped = 0;

  constructor(private readonly address: string, private readonly log: Logger, private readonly separator = '_') {}

  /** Binds the UDP port (`host:port` or `:port`). */
  async start(): Promise<void> {
    const m = /^(.*):(\d+)$/.exec(this.address);
    if (!m) throw new Error(`service_address ${this.address} must be [host]:port`);
    this.socket = await bindUdp(m[1] || '0.0.0.0', Number(m[2]), (buf) => this.receive(buf.toString('utf8')));
  }

  get port(): number | undefined {
    return this.socket?.address().port;
  }

  close(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  receive(packet: string): void {
    for (const raw of packet.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      const parsed = parseStatsdLine(line, this.separator);
      if (!parsed) {
        this.dropped++;
        this.log.warn({ line: line.slice(0, 200) }, 'statsd: malformed line dropped');
        continue;
      }
      for (const p of parsed) this.add(p);
    }
  }

  private add(p: StatsdLine): void {
    const tags = { ...p.tags, metric_type: TYPES[p.type]! };
    const key = `${p.name}\u0000${Object.entries(tags).sort().map(([k, v]) => `${k}=${v}`).join(',')}`;
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { name: p.name, tags, type: p.type, sum: 0, last: 0, set: new Set(), values: new Map() }));
    const v = Number(p.value);
    if (p.type === 'c') s.sum += Math.trunc(v / p.rate);
    else if (p.type === 'g') s.last = p.additive ? s.last + v : v;
    else if (p.type === 's') s.set.add(p.value);
    else s.values.set(v, (s.values.get(v) ?? 0) + 1 / p.rate);
  }

  collect(): Sample[] {
    const out: Sample[] = [];
    for (const s of this.series.values()) {
      if (s.type === 'c') out.push({ field: s.name, value: s.sum, unit: 'None', tags: s.tags });
      else if (s.type === 'g') out.push({ field: s.name, value: s.last, unit: 'None', tags: s.tags });
      else if (s.type === 's') out.push({ field: s.name, value: s.set.size, unit: 'None', tags: s.tags });
      else out.push({ field: s.name, value: NaN, unit: 'None', tags: s.tags, values: [...s.values.keys()], counts: [...s.values.values()] });
    }
    this.series.clear();
    return out;
  }
}
