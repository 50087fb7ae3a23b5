/**
 * The X-Ray daemon, built in: segment documents over UDP (stored through PutTraceSegments, in
 * batches) and the sampling calls over TCP (signed and forwarded to this server's API), on the
 * ports an app's `AWS_XRAY_DAEMON_ADDRESS` names — 2000 for both by default, as the daemon's.
 * Unauthenticated like the daemon: it binds to the server's host (127.0.0.1 by default), and what
 * it receives lands in the first configured key's account, in `xrayRegion`.
 */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { isIPv6 } from 'node:net';
import type { Server } from 'node:http';
import { effectiveAccessKeys } from '../../../config/config.ts';
import type { Env, Listener } from '../../../server/module.ts';
import { listenError } from '../../../server/startup-error.ts';
import { parseDatagram } from './datagram.ts';
import { startSamplingProxy } from './sampling-proxy.ts';
import { SegmentBatcher } from './segment-batcher.ts';

/**
 * Datagrams the kernel cannot queue while the event loop is busy (a GC pause, a batch being
 * stored) are lost before the daemon sees them: the default ~208 KB queue held ~7 ms of a
 * 40,000 segments/s feed and lost 43 % of it (`npm run bench -- traces`). 8 MiB holds seconds.
 */
const RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

function setReceiveBuffer(udp: Socket, log: Env['log']): void {
  try {
    udp.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
  } catch (err) {
    // The kernel may refuse (net.core.rmem_max); its default queue still works.
    log.debug({ err }, 'x-ray daemon: could not enlarge the UDP receive buffer');
  }
}

export function xrayDaemonListener(env: Env): Listener {
  const { config, log } = env;
  const key = effectiveAccessKeys(config)[0]!;
  const ctx = env.serviceCtx({ account: key.accountId, region: config.xrayRegion, principalArn: key.principalArn });
  const batcher = new SegmentBatcher({
    log,
    send: async (docs) => {
      const out = await env.call('xray', 'PutTraceSegments', ctx, { TraceSegmentDocuments: docs });
      for (const u of out.UnprocessedTraceSegments ?? []) log.warn({ segment: u }, 'x-ray daemon: unprocessed segment');
    },
  });
  let udp: Socket | undefined;
  let tcp: Server | undefined;
  let reported = { sent: 0, dropped: 0 };
  const report = (final: boolean) => {
    if (!final && batcher.sent === reported.sent && batcher.dropped === reported.dropped) return;
    reported = { sent: batcher.sent, dropped: batcher.dropped };
    log.info({ stored: batcher.sent, dropped: batcher.dropped }, 'x-ray daemon: segments stored and dropped since start');
  };
  const counts = setInterval(() => report(false), 60_000);
  counts.unref();
  return {
    name: 'xray-daemon',
    start: async () => {
      udp = createSocket({ type: isIPv6(config.host) ? 'udp6' : 'udp4' });
      udp.on('message', (msg) => {
        const d = parseDatagram(msg);
        if (d.ok) batcher.add(d.document);
        else log.debug({ reason: d.reason }, 'x-ray daemon: datagram ignored');
      });
      udp.bind(config.xrayUdpPort, config.host);
      await once(udp, 'listening').catch((err: unknown) => {
        throw listenError(err, 'X-Ray daemon UDP listener', config.host, config.xrayUdpPort, 'OSPREY_XRAY_UDP_PORT');
      });
      setReceiveBuffer(udp, log);
      const proxy = await startSamplingProxy({
        host: config.host, port: config.xrayTcpPort, region: config.xrayRegion, credentials: key, apiUrl: () => env.publicUrl(), log,
      }).catch((err: unknown) => {
        throw listenError(err, 'X-Ray daemon TCP listener', config.host, config.xrayTcpPort, 'OSPREY_XRAY_TCP_PORT');
      });
      tcp = proxy.server;
      log.info({ host: config.host, udpPort: udp.address().port, tcpPort: proxy.port }, 'x-ray daemon listening');
    },
    close: async () => {
      clearInterval(counts);
      udp?.close();
      await new Promise<void>((resolve) => (tcp ? tcp.close(() => resolve()) : resolve()));
      await batcher.flush();
      report(true);
    },
  };
}
