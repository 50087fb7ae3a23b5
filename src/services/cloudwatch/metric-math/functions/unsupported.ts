import { MetricMathError } from '../errors.ts';
import { UNSUPPORTED } from '../signatures.ts';

/** Documented functions Osprey cannot compute: a clear error, never a made-up series. */
export function unsupported(name: string): never {
  throw new MetricMathError(UNSUPPORTED[name] ?? `${name} is not supported.`);
}
