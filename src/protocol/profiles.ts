import { ServiceError } from './errors.ts';
import { hasQueryView, loadModel, SERVICE_NAMES, type ServiceName } from './models/index.ts';
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

type ErrorNaming = Pick<ServiceProfile, 'missing' | 'invalid' | 'malformedQueryCode'>;

/**
 * Services whose validation errors are not Coral's generic `ValidationException` (what most AWS
 * JSON services answer and so the default for every other model in the models list).
 */
const ERROR_NAMING: Partial<Record<ServiceName, ErrorNaming>> = {
  cloudwatch: {
    // CloudWatch names a missing parameter plainly; other constraint failures are Coral's ValidationError.
    missing: (v) => new ServiceError('MissingParameter', `The parameter ${upperFirst(v[0].path)} is required.`),
    invalid: coral('ValidationError'),
    malformedQueryCode: 'InvalidParameterValue',
  },
  logs: { missing: coral('InvalidParameterException'), invalid: coral('InvalidParameterException') },
  cloudtrail: { missing: coral('InvalidParameterException'), invalid: coral('InvalidParameterException') },
  xray: { missing: coral('InvalidRequestException'), invalid: coral('InvalidRequestException') },
  // Athena models no ValidationException either: constraint failures are its InvalidRequestException.
  athena: { missing: coral('InvalidRequestException'), invalid: coral('InvalidRequestException') },
  // Schemas models no ValidationException; every client-side input error is its 400 BadRequestException.
  schemas: { missing: coral('BadRequestException'), invalid: coral('BadRequestException') },
  // SQS answers constraint failures with its awsQuery-era codes, in both protocols.
  sqs: {
    missing: (v) => new ServiceError('MissingParameter', `The request must contain the parameter ${upperFirst(v[0].path)}.`),
    invalid: (v) => new ServiceError('InvalidParameterValue', validationMessage(v)),
    malformedQueryCode: 'InvalidParameterValue',
  },
  sns: {
    missing: (v) => new ServiceError('InvalidParameter', `Invalid parameter: ${upperFirst(v[0].path)}`),
    invalid: coral('InvalidParameter'),
    malformedQueryCode: 'InvalidParameter',
  },
};

const DEFAULT_NAMING: ErrorNaming = { missing: coral('ValidationException'), invalid: coral('ValidationException') };

/** botocore protocol names → the codecs Osprey has (rest-xml / ec2 services are not modelled here). */
const PROTOCOL_OF: Record<string, Protocol> = { 'smithy-rpc-v2-cbor': 'cbor', json: 'json', query: 'query', 'rest-json': 'rest-json' };

function profileFromModel(name: ServiceName): ServiceProfile {
  const meta = loadModel(name).metadata;
  const declared = meta.protocols ?? [meta.protocol];
  const protocols = declared.map((p) => PROTOCOL_OF[p]).filter((p): p is Protocol => p !== undefined);
  // SQS: awsJson1_0 in current models, awsQuery for the clients that predate the switch (a query view).
  if (hasQueryView(name) && !protocols.includes('query')) protocols.push('query');
  if (protocols.length === 0) throw new Error(`${name}: no supported protocol among ${declared.join(', ')}`);
  return { name, signingName: meta.signingName ?? meta.endpointPrefix, protocols, ...(ERROR_NAMING[name] ?? DEFAULT_NAMING) };
}

/** Every modelled service's wire profile, read from its model (signing name, protocols) plus its error naming. */
export const PROFILES: Record<ServiceName, ServiceProfile> = Object.fromEntries(
  SERVICE_NAMES.map((n) => [n, profileFromModel(n)]),
) as Record<ServiceName, ServiceProfile>;

function upperFirst(path: string): string {
  return path
    .split('.')
    .map((p) => (p.length > 0 ? p[0].toUpperCase() + p.slice(1) : p))
    .join('.');
}
