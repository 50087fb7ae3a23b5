import { ServiceError } from './errors.ts';
import type { ServiceName } from './models/index.ts';
import type { Violation } from './validate.ts';
import { validationMessage } from './validate.ts';

export type Protocol = 'query' | 'json' | 'cbor' | 'rest-json';

/**
 * What differs between AWS services at the wire layer beyond their models: how each names its
 * validation failures. These follow what the real services answer (Coral-style messages).
 */
export interface ServiceProfile {
  name: ServiceName;
  signingName: string;
  protocols: Protocol[];
  /** Error for required members that are absent. */
  missing(violations: Violation[]): ServiceError;
  /** Error for length / range / enum / pattern violations. */
  invalid(violations: Violation[]): ServiceError;
  /** Code used when a query-string value cannot be read as its type (awsQuery only). */
  malformedQueryCode?: string;
}

const coral = (code: string) => (v: Violation[]) => new ServiceError(code, validationMessage(v));

export const PROFILES: Record<ServiceName, ServiceProfile> = {
  cloudwatch: {
    name: 'cloudwatch',
    signingName: 'monitoring',
    protocols: ['query', 'json', 'cbor'],
    // CloudWatch names a missing parameter plainly; other constraint failures are Coral's ValidationError.
    missing: (v) =>
      new ServiceError('MissingParameter', `The parameter ${upperFirst(v[0].path)} is required.`),
    invalid: coral('ValidationError'),
    malformedQueryCode: 'InvalidParameterValue',
  },
  logs: {
    name: 'logs',
    signingName: 'logs',
    protocols: ['json'],
    missing: coral('InvalidParameterException'),
    invalid: coral('InvalidParameterException'),
  },
  events: {
    name: 'events',
    signingName: 'events',
    protocols: ['json'],
    missing: coral('ValidationException'),
    invalid: coral('ValidationException'),
  },
  cloudtrail: {
    name: 'cloudtrail',
    signingName: 'cloudtrail',
    protocols: ['json'],
    missing: coral('InvalidParameterException'),
    invalid: coral('InvalidParameterException'),
  },
  xray: {
    name: 'xray',
    signingName: 'xray',
    protocols: ['rest-json'],
    missing: coral('InvalidRequestException'),
    invalid: coral('InvalidRequestException'),
  },
  sns: {
    name: 'sns',
    signingName: 'sns',
    protocols: ['query'],
    missing: (v) => new ServiceError('InvalidParameter', `Invalid parameter: ${upperFirst(v[0].path)}`),
    invalid: coral('InvalidParameter'),
    malformedQueryCode: 'InvalidParameter',
  },
};

function upperFirst(path: string): string {
  return path
    .split('.')
    .map((p) => (p.length > 0 ? p[0].toUpperCase() + p.slice(1) : p))
    .join('.');
}
