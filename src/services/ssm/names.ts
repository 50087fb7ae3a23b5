/**
 * Parameter names, selectors (`name:3`, `name:label`), labels and ARNs, with Parameter Store's rules
 * (Systems Manager user guide, "Parameter naming constraints" and "Labeling parameters").
 */
import { arn, type Scope } from '../../lib/arn.ts';
import { ServiceError } from '../../protocol/errors.ts';

const MAX_DEPTH = 15;
const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;

export const validation = (message: string) => new ServiceError('ValidationException', message);

/** The name as stored: `arn:…:parameter/x` accepted where AWS accepts it, else the name itself. */
export function checkName(name: string): string {
  if (!NAME_CHARS.test(name)) {
    throw validation(`Parameter name: '${name}' is invalid. Parameter names can consist of symbols, letters and numbers: a-zA-Z0-9_.-/`);
  }
  const bare = name.startsWith('/') ? name.slice(1) : name;
  if (/^(aws|ssm)/i.test(bare)) {
    throw validation('Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  }
  if (name.includes('/') && !name.startsWith('/')) {
    throw validation('Parameter name must be a fully qualified name. A fully qualified name includes the complete hierarchy of the parameter path and name, beginning with a forward slash (/).');
  }
  if (name.endsWith('/') || name.includes('//')) {
    throw validation(`Parameter name: '${name}' is invalid: a hierarchy level can't be empty.`);
  }
  if (name.split('/').length - 1 > MAX_DEPTH) {
    throw new ServiceError('HierarchyLevelLimitExceededException', `A hierarchy can have a maximum of ${MAX_DEPTH} levels.`);
  }
  return name;
}

export interface Selector {
  name: string;
  version?: number;
  label?: string;
  /** The `:…` suffix as sent, which GetParameter echoes back in `Selector`. */
  raw?: string;
}

/** `name`, `name:<version>` or `name:<label>`; ARNs of this scope's parameters are read as their names. */
export function parseSelector(scope: Scope, ref: string): Selector {
  const plain = fromArn(scope, ref);
  const colon = plain.lastIndexOf(':');
  if (colon < 0) return { name: plain };
  const name = plain.slice(0, colon);
  const tail = plain.slice(colon + 1);
  if (/^\d+$/.test(tail)) return { name, version: Number(tail), raw: `:${tail}` };
  return { name, label: tail, raw: `:${tail}` };
}

function fromArn(scope: Scope, ref: string): string {
  const prefix = arn('ssm', scope, 'parameter');
  if (!ref.startsWith('arn:')) return ref;
  if (!ref.startsWith(prefix)) throw validation(`Parameter ARN ${ref} is not in this account and region.`);
  const rest = ref.slice(prefix.length);
  // arn:…:parameter/a → "a"; arn:…:parameter/x/y → "/x/y" (hierarchical names keep their slash).
  return rest.slice(1).includes('/') ? rest : rest.slice(1);
}

export function parameterArn(scope: Scope, name: string): string {
  return arn('ssm', scope, `parameter${name.startsWith('/') ? '' : '/'}${name}`);
}

export function checkLabel(label: string): boolean {
  return (
    label.length >= 1 && label.length <= 100 && /^[a-zA-Z0-9_.-]+$/.test(label) && !/^\d/.test(label) && !/^(aws|ssm)/i.test(label)
  );
}
