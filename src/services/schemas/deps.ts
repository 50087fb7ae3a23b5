import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { SchemasRepo } from './repo.ts';

export interface SchemasDeps {
  repo: SchemasRepo;
  clock: Clock;
  log: Logger;
  /** Scopes (`account/region`) whose AWS-managed registries are known to exist. */
  managedScopes: Set<string>;
}
