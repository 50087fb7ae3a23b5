/**
 * Who is told about Osprey's incidents. They concern the installation (its stores, disk, delivery
 * queue), not any tenant's resources, and their entities name installation internals (the data
 * directory's path): they are reported to one account only, the operator's — `health.account`, or
 * else the first configured access key's account (the dev key's 000000000000 without keys). Other
 * accounts see no events, as an AWS account untouched by an event does.
 */
import { operatorAccount as installationOperator, type OspreyConfig } from '../../config/config.ts';

export function operatorAccount(cfg: OspreyConfig): string {
  return cfg.health.account !== '' ? cfg.health.account : installationOperator(cfg);
}
