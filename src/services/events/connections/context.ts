/** What the connection and API destination handlers and the invoker share; their ARNs, errors and quotas. */
import { randomBytes, randomUUID } from 'node:crypto';
import { arn, parseArn, type Scope } from '../../../lib/arn.ts';
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { KeyStore } from '../../../store/keys/key-store.ts';
import type { OAuthTokens } from './oauth.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { ConnectionsRepo } from './repo.ts';

export interface ConnectionsContext {
  repo: ConnectionsRepo;
  keys: KeyStore;
  clock: Clock;
  log: Logger;
  tokens: OAuthTokens;
  limiter: RateLimiter;
}

/** EventBridge quotas page: connections and API destinations per account per Region (adjustable on AWS). */
export const LIMITS = { connections: 3000, apiDestinations: 3000 } as const;
export const DEFAULT_RATE_LIMIT = 300;
export const MAX_LIST_LIMIT = 100;

export const connectionArn = (s: Scope, name: string) => arn('events', s, `connection/${name}/${randomUUID()}`);
export const destinationArn = (s: Scope, name: string) => arn('events', s, `api-destination/${name}/${randomUUID()}`);

/** Where AWS keeps the secret half: `…:secret:events!connection/<name>/<uuid>-<6 chars>` (Secrets Manager's suffix). */
export function secretArn(s: Scope, name: string): string {
  const suffix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 6);
  return arn('secretsmanager', s, `secret:events!connection/${name}/${randomUUID()}-${suffix}`);
}

/** `connection/<name>/<uuid>` of an ARN in the caller's scope, else undefined. */
export function connectionNameOf(s: Scope, value: string): string | undefined {
  const a = parseArn(value);
  if (!a || a.service !== 'events' || a.account !== s.account || a.region !== s.region) return undefined;
  const m = /^connection\/([^/]+)\/[^/]+$/.exec(a.resource);
  return m?.[1];
}

export const connectionNotFound = (name: string) =>
  new ServiceError('ResourceNotFoundException', `Failed to describe the connection(s). Connection '${name}' does not exist.`);
export const destinationNotFound = (name: string) =>
  new ServiceError('ResourceNotFoundException', `Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`);
export const tooMany = () => new ServiceError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
