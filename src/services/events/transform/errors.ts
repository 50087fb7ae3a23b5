/**
 * PutTargets refusals of a target's input settings. A ServiceError, so the protocol layer renders
 * it as AWS does (ValidationException, 400) without the caller translating anything.
 */
import { ServiceError } from '../../../protocol/errors.ts';

export class TransformerError extends ServiceError {
  constructor(message: string) {
    super('ValidationException', message);
  }
}
