/** Parameter values: size per tier, AllowedPattern, data types, SecureString sealing. */
import { ServiceError } from '../../protocol/errors.ts';
import type { SsmDeps } from './deps.ts';
import { validation } from './names.ts';
import type { ParameterVersion } from './repo.ts';

const MAX_VALUE = { Standard: 4096, Advanced: 8192 } as const;
const DATA_TYPES = new Set(['text', 'aws:ec2:image', 'aws:ssm:integration']);

/** The tier a value is stored in: Intelligent-Tiering picks Standard when the value fits. */
export function tierFor(requested: string | undefined, value: string, current: string | undefined): 'Standard' | 'Advanced' {
  if (requested === 'Standard' && current === 'Advanced') {
    throw validation("This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier.");
  }
  if (requested === 'Advanced' || current === 'Advanced') return 'Advanced';
  if (requested === 'Intelligent-Tiering') return value.length > MAX_VALUE.Standard ? 'Advanced' : 'Standard';
  if (value.length > MAX_VALUE.Standard) {
    throw validation(
      `Standard tier parameters support a maximum parameter value of ${MAX_VALUE.Standard} characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.`,
    );
  }
  return 'Standard';
}

export function checkValue(value: string, tier: 'Standard' | 'Advanced', allowedPattern: string | undefined, dataType: string, type: string): void {
  if (value.length > MAX_VALUE[tier]) throw validation(`Parameter value must be at most ${MAX_VALUE[tier]} characters for the ${tier} tier.`);
  if (!DATA_TYPES.has(dataType)) {
    throw validation(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
  }
  if (dataType !== 'text' && type !== 'String') throw validation(`The data type ${dataType} is supported only for parameters of type String.`);
  if (dataType === 'aws:ec2:image' && !/^ami-[0-9a-f]{8,17}$/.test(value)) {
    throw validation(`Parameter value ${value} is not a valid AMI ID for the data type aws:ec2:image.`);
  }
  if (allowedPattern === undefined) return;
  if (!compile(allowedPattern).test(value)) {
    throw new ServiceError('ParameterPatternMismatchException', `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`);
  }
}

function compile(pattern: string): RegExp {
  try {
    // AWS matches the whole value (Java's String.matches).
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch (e) {
    throw new ServiceError('InvalidAllowedPatternException', `The request does not meet the regular expression requirement: ${(e as Error).message}`);
  }
}

export function checkAllowedPattern(pattern: string | undefined): void {
  if (pattern !== undefined) compile(pattern);
}

/** The value a reader gets: SecureStrings opened only WithDecryption (otherwise the sealed text, as AWS returns ciphertext). */
export function readValue(deps: SsmDeps, v: ParameterVersion, withDecryption: boolean | undefined): string {
  if (v.type !== 'SecureString' || !withDecryption) return v.value;
  return deps.keys.open(v.keyId ?? '', v.value);
}
