/** ARNs shaped like AWS's, so clients that parse them keep working. */
export interface Scope {
  account: string;
  region: string;
}

export const arn = (service: string, scope: Scope, resource: string): string =>
  `arn:aws:${service}:${scope.region}:${scope.account}:${resource}`;

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(value: string): ParsedArn | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}
