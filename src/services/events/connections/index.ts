/**
 * Connections and API destinations: the handlers of their eleven operations, and the invoker the
 * events delivery calls for API destination targets.
 */
import type { ServiceHandlersFor } from '../../../protocol/operations.ts';
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { KeyStore } from '../../../store/keys/key-store.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';
import type { ApiDestinationInvoker } from '../delivery.ts';
import { createConnection, deauthorizeConnection, deleteConnection, describeConnection, listConnections, updateConnection } from './connections.ts';
import type { ConnectionsContext } from './context.ts';
import { createApiDestination, deleteApiDestination, describeApiDestination, listApiDestinations, updateApiDestination } from './destinations.ts';
import { createInvoker } from './invoke.ts';
import { OAuthTokens } from './oauth.ts';
import { RateLimiter } from './rate-limit.ts';
import { ConnectionsRepo } from './repo.ts';

export type ConnectionOperation =
  | 'CreateConnection' | 'DescribeConnection' | 'UpdateConnection' | 'DeleteConnection' | 'ListConnections' | 'DeauthorizeConnection'
  | 'CreateApiDestination' | 'DescribeApiDestination' | 'UpdateApiDestination' | 'DeleteApiDestination' | 'ListApiDestinations';

export interface ConnectionsDeps {
  db: Sql;
  clock: Clock;
  log: Logger;
  /** Seals connection secrets at rest (API keys, passwords, OAuth client secrets). */
  keys: KeyStore;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export interface Connections {
  handlers: ServiceHandlersFor<'events', ConnectionOperation>;
  /** Sends one rendered target body to an API destination target (its ARN in d.target.Arn). */
  invoke: ApiDestinationInvoker;
}

export function createConnections(deps: ConnectionsDeps): Connections {
  const now = () => deps.clock.now();
  const c: ConnectionsContext = {
    repo: new ConnectionsRepo(deps.db), keys: deps.keys, clock: deps.clock, log: deps.log,
    tokens: new OAuthTokens({ now, timeoutMs: deps.timeoutMs, fetch: deps.fetch }), limiter: new RateLimiter(now),
  };
  return {
    handlers: {
      // async: a thrown ServiceError becomes a rejection, as the protocol layer expects of handlers.
      CreateConnection: async (ctx, input) => createConnection(c, ctx, input),
      DescribeConnection: async (ctx, input) => describeConnection(c, ctx, input),
      UpdateConnection: async (ctx, input) => updateConnection(c, ctx, input),
      DeleteConnection: async (ctx, input) => deleteConnection(c, ctx, input),
      ListConnections: async (ctx, input) => listConnections(c, ctx, input),
      DeauthorizeConnection: async (ctx, input) => deauthorizeConnection(c, ctx, input),
      CreateApiDestination: async (ctx, input) => createApiDestination(c, ctx, input),
      DescribeApiDestination: async (ctx, input) => describeApiDestination(c, ctx, input),
      UpdateApiDestination: async (ctx, input) => updateApiDestination(c, ctx, input),
      DeleteApiDestination: async (ctx, input) => deleteApiDestination(c, ctx, input),
      ListApiDestinations: async (ctx, input) => listApiDestinations(c, ctx, input),
    },
    invoke: createInvoker(c, { timeoutMs: deps.timeoutMs, fetch: deps.fetch }),
  };
}
