/**
 * collectd: a listener for collectd's network plugin (UDP, `service_address`, default
 * udp://127.0.0.1:25826) as the agent's Telegraf-based input parses it: each value of a value list
 * becomes `<name_prefix><plugin>_<data source>` (name_prefix default `collectd_`; the data source
 * named by collectd_typesdb, default /usr/share/collectd/types.db — `collectd_load_shortterm`,
 * `collectd_memory_value`) with dimensions `host` (collectd's), `instance`, `type` and
 * `type_instance` when set; counters are sent as collectd reports them. collectd_security_level
 * (default `encrypt`, as the agent's) is the least a packet must carry: `encrypt` takes only
 * encrypted packets, `sign` signed or encrypted ones, `none` all; users and passwords come from
 * collectd_auth_file (default /etc/collectd/auth_file). Each reading (every
 * metrics_aggregation_interval, default 60 s) reports what arrived since the last one — all the
 * values of a series as one distribution.
 */
import type { Socket } from 'node:dgram';
import type { Logger } from '../../lib/logger.ts';
import { parsePayload, type ValueList } from './collectd/packet.ts';
import { openPacket, type SecurityLevel } from './collectd/security.ts';
import { dataSourceName, type TypesDb } from './collectd/types-db.ts';
import type { HostInput, Sample } from './types.ts';
import { bindUdp } from './udp-listener.ts';

export const DEFAULT_COLLECTD_ADDRESS = 'udp://127.0.0.1:25826';

export interface CollectdOptions {
  serviceAddress: string;
  namePrefix: string;
  securityLevel: SecurityLevel;
  users: ReadonlyMap<string, string>;
  typesDb: TypesDb;
}

interface Series { name: string; tags: Record<string, string>; values: Map<number, number> }

export function parseServiceAddress(address: string): { host: string; port: number } {
  const m = /^udp:\/\/([^:]*):(\d+)$/.exec(address);
  if (!m || Number(m[2]) > 65535) throw new Error(`service_address ${address} must be udp://host:port`);
  return { host: m[1] || '0.0.0.0', port: Number(m[2]) };
}

export class CollectdInput implements HostInput {
  private readonly series = new Map<string, Series>();
  private socket: Socket | undefined;
  private readonly told = new Set<string>();
  dropped = 0;

  constructor(private readonly o: CollectdOptions, private readonly log: Logger) {}

  async start(): Promise<void> {
    const { host, port } = parseServiceAddress(this.o.serviceAddress);
    this.socket = await bindUdp(host, port, (buf) => this.receive(buf));
  }

  get port(): number | undefined {
    return this.socket?.address().port;
  }

  close(): void {
    this.socket?.close();
    this.socket = undefined;
  }

  receive(packet: Buffer): void {
    const opened = openPacket(packet, this.o.securityLevel, this.o.users);
    if ('refused' in opened) return this.drop(opened.refused);
    let lists: ValueList[];
    try {
      lists = parsePayload(opened.payload);
    } catch (e) {
      return this.drop((e as Error).message);
    }
    for (const vl of lists) this.add(vl);
  }

  /** Dropped packets are counted; each reason is logged once, not once per packet. */
  private drop(reason: string): void {
    this.dropped++;
    if (this.told.has(reason)) return;
    this.told.add(reason);
    this.log.warn({ reason }, 'collectd: packet dropped');
  }

  private add(vl: ValueList): void {
    const tags: Record<string, string> = {
      ...(vl.host ? { host: vl.host } : {}), ...(vl.pluginInstance ? { instance: vl.pluginInstance } : {}),
      ...(vl.type ? { type: vl.type } : {}), ...(vl.typeInstance ? { type_instance: vl.typeInstance } : {}),
    };
    vl.values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const name = `${this.o.namePrefix}${vl.plugin}_${dataSourceName(this.o.typesDb, vl.type, i, vl.values.length)}`;
      const key = `${name}\u0000${Object.entries(tags).map(([k, x]) => `${k}=${x}`).join(',')}`;
      let s = this.series.get(key);
      if (!s) this.series.set(key, (s = { name, tags, values: new Map() }));
      s.values.set(v, (s.values.get(v) ?? 0) + 1);
    });
  }

  collect(): Sample[] {
    const out: Sample[] = [...this.series.values()].map((s) => ({ field: s.name, value: NaN, unit: 'None', tags: s.tags, values: [...s.values.keys()], counts: [...s.values.values()] }));
    this.series.clear();
    return out;
  }
}
