/** X-Ray's error shapes (botocore model: InvalidRequestException 400, ThrottledException 429…). */
import { ServiceError } from '../../protocol/errors.ts';
import { FilterExpressionError } from './filter-expression/index.ts';

export const invalidRequest = (message: string): ServiceError => new ServiceError('InvalidRequestException', message);

export const notFound = (message: string): ServiceError => new ServiceError('InvalidRequestException', message);

/** A filter expression error → AWS's InvalidRequestException with the parser's explanation. */
export function filterError(e: unknown): never {
  if (e instanceof FilterExpressionError) throw invalidRequest(e.message);
  throw e;
}
