import { ServiceError } from '../../../protocol/errors.ts';

/**
 * Every problem with a MetricWidget is the caller's: CloudWatch's InvalidParameterValue (400), the
 * awsQuery code the rest of the CloudWatch service throws too; the protocol layer maps it to the
 * model's InvalidParameterValueException shape for the JSON and CBOR protocols.
 */
export const invalidWidget = (message: string): ServiceError => new ServiceError('InvalidParameterValue', message);
