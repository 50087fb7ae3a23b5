import type { Clock } from '../../lib/clock.ts';
import type { KeyStore } from '../../store/keys/key-store.ts';
import type { ParameterRepo } from './repo.ts';

export interface SsmDeps {
  repo: ParameterRepo;
  /** SecureString values are sealed under a data key derived for their KeyId (Osprey has no KMS). */
  keys: KeyStore;
  clock: Clock;
}

/** What AWS names the key of SecureStrings created without a KeyId. */
export const DEFAULT_KEY_ID = 'alias/aws/ssm';
