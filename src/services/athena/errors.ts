/** Athena's API errors: InvalidRequestException carries an AthenaErrorCode. */
import { ServiceError } from '../../protocol/errors.ts';

export const invalidRequest = (message: string, code = 'INVALID_INPUT'): ServiceError =>
  new ServiceError('InvalidRequestException', message, { fields: { AthenaErrorCode: code } });

export const tooManyRequests = (message: string): ServiceError =>
  new ServiceError('TooManyRequestsException', message, { fields: { Reason: 'CONCURRENT_QUERY_LIMIT_EXCEEDED' } });

export const resourceNotFound = (message: string, resource: string): ServiceError =>
  new ServiceError('ResourceNotFoundException', message, { fields: { ResourceName: resource } });
