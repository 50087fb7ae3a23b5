/** The UDP socket a listening input (StatsD, collectd) binds; a busy port rejects here, at start. */
import { createSocket, type Socket } from 'node:dgram';

export function bindUdp(host: string, port: number, onMessage: (packet: Buffer) => void): Promise<Socket> {
  const s = createSocket('udp4');
  s.on('message', onMessage);
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.bind(port, host, () => { s.off('error', reject); resolve(s); });
  });
}
