/**
 * Lease owner ids of this process's workers (outbox deliveries, schedule rounds, replays):
 * `host:pid:random`. They share the `host:pid:` prefix, so "leases this process holds" is a prefix
 * match (self-monitoring) even when several processes share one metadata store.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

export const processOwnerPrefix = (): string => `${hostname()}:${process.pid}:`;

export const newOwnerId = (): string => `${processOwnerPrefix()}${randomUUID().slice(0, 8)}`;
