/**
 * What happens to an operation's decoded input before its handler runs, shared by the wire path
 * (engine.ts) and internal calls (server/internal-calls.ts) so both refuse exactly the same inputs.
 */
import { ServiceError } from './errors.ts';
import { loadModel, type ServiceName } from './models/index.ts';
import { PROFILES } from './profiles.ts';
import { validateInput } from './validate.ts';

/** The error the service answers for this input (required members, lengths, ranges, enums, patterns), if any. */
export function inputError(service: ServiceName, operation: string, input: unknown): ServiceError | undefined {
  const model = loadModel(service);
  const op = model.operations[operation];
  if (!op) throw new Error(`${service} has no operation ${operation}`);
  if (!op.input?.shape) return undefined;
  const { missing, invalid } = validateInput(model, op.input.shape, input);
  const profile = PROFILES[service];
  if (missing.length > 0) return profile.missing(missing);
  if (invalid.length > 0) return profile.invalid(invalid);
  return undefined;
}

/** The answer for a modeled operation without a handler. */
export function notImplemented(service: ServiceName, operation: string): ServiceError {
  return new ServiceError(
    'NotImplemented',
    `Osprey does not implement ${loadModel(service).metadata.serviceId} ${operation} yet; no data was changed`,
    { status: 501, sender: false },
  );
}
