/**
 * The agent's EMF endpoint (`logs.metrics_collected.emf`): embedded-metric-format documents from
 * local applications (aws-embedded-metrics in Agent mode) over TCP (one JSON document per line) and
 * UDP (one or more lines per datagram), on `service_address` — `udp://host:port` or
 * `tcp://host:port` — or, when absent, both on :25888 as the agent listens. Each document is handed on
 * as a line; where it goes (its `_aws.LogGroupName` / `LogStreamName`) is decided by the caller.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';

export const DEFAULT_EMF_PORT = 25888;

interface Endpoint { protocol: 'tcp' | 'udp'; host: string; port: number }

export function emfEndpoints(serviceAddress: string | undefined): Endpoint[] {
  if (serviceAddress === undefined) return [{ protocol: 'tcp', host: '0.0.0.0', port: DEFAULT_EMF_PORT }, { protocol: 'udp', host: '0.0.0.0', port: DEFAULT_EMF_PORT }];
  const m = /^(tcp|udp):\/\/([^:]*):(\d+)$/.exec(serviceAddress);
  if (!m) throw new Error(`service_address ${serviceAddress} must be udp://host:port or tcp://host:port`);
  return [{ protocol: m[1] as 'tcp' | 'udp', host: m[2] || '0.0.0.0', port: Number(m[3]) }];
}

export class EmfListener {
  private readonly udp: Socket[] = [];
  private readonly tcp: Server[] = [];

  constructor(private readonly endpoints: readonly Endpoint[], private readonly onLine: (line: string) => void) {}

  async start(): Promise<void> {
    for (const e of this.endpoints) {
      if (e.protocol === 'udp') {
        const s = createSocket('udp4');
        s.on('message', (b) => { for (const l of b.toString('utf8').split('\n')) if (l.trim()) this.onLine(l); });
        await new Promise<void>((resolve, reject) => { s.once('error', reject); s.bind(e.port, e.host, () => { s.off('error', reject); resolve(); }); });
        this.udp.push(s);
      } else {
        const server = createServer((conn) => {
          conn.on('error', () => conn.destroy());
          createInterface({ input: conn, crlfDelay: Infinity }).on('line', (l) => { if (l.trim()) this.onLine(l); });
        });
        await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(e.port, e.host, () => { server.off('error', reject); resolve(); }); });
        this.tcp.push(server);
      }
    }
  }

  close(): void {
    for (const s of this.udp) s.close();
    for (const s of this.tcp) s.close();
  }
}
