/**
 * The protocol engine alone behind an HTTP listener, with handlers a test supplies: for tests of
 * wire behaviour (what real clients send and parse) without the services or the stores.
 */
import type { AddressInfo } from 'node:net';
import { ProtocolEngine } from '../../src/protocol/engine.ts';
import type { Handler } from '../../src/protocol/service.ts';
import type { ServiceName } from '../../src/protocol/models/services.ts';
import { createHttpServer, closeHttpServer } from '../../src/server/http.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { silentLogger } from '../../src/lib/logger.ts';
import { TEST_CREDENTIALS } from './server.ts';

export interface ProtocolServer {
  url: string;
  stop(): Promise<void>;
}

/** Listens on a free loopback port; the test key maps to account 000000000000. */
export async function startProtocolServer(handlers: Partial<Record<ServiceName, Record<string, Handler>>>): Promise<ProtocolServer> {
  const engine = new ProtocolEngine({
    handlers,
    credentials: (id) => (id === TEST_CREDENTIALS.accessKeyId ? { ...TEST_CREDENTIALS, accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' } : undefined),
    clock: systemClock, log: silentLogger, audit: { record: () => undefined },
    maxBodyBytes: 1 << 20, maxSkewMs: 15 * 60_000,
  });
  const { server, inFlight } = createHttpServer({ engine, log: silentLogger, maxBodyBytes: 1 << 20, health: async () => ({}), routes: [] });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => closeHttpServer(server, inFlight, 1000),
  };
}
