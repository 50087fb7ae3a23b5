/** ARNs shaped like AWS's, so clients that parse them keep working. */
export interface Scope {
  account: string;
  region: string;
}

/**
 * Partitions by region name, as the SDKs' partitions.json matches them (regionRegex), most specific
 * first: a region's resources carry its partition (`arn:aws-cn:logs:cn-north-1:…`). Unknown and
 * custom region names fall in `aws`, as the SDKs resolve them.
 */
const PARTITIONS: readonly (readonly [RegExp, string])[] = [
  [/^cn-\w+-\d+$/, 'aws-cn'],
  [/^us-gov-\w+-\d+$/, 'aws-us-gov'],
  [/^us-iso-\w+-\d+$/, 'aws-iso'],
  [/^us-isob-\w+-\d+$/, 'aws-iso-b'],
  [/^eu-isoe-\w+-\d+$/, 'aws-iso-e'],
  [/^us-isof-\w+-\d+$/, 'aws-iso-f'],
  [/^eusc-de-\w+-\d+$/, 'aws-eusc'],
];

export function partitionOf(region: string): string {
  for (const [re, partition] of PARTITIONS) if (re.test(region)) return partition;
  return 'aws';
}

export const arn = (service: string, scope: Scope, resource: string): string =>
  `arn:${partitionOf(scope.region)}:${service}:${scope.region}:${scope.account}:${resource}`;

/**
 * A global resource's ARN (no region field, e.g. CloudWatch dashboards, IAM principals): still in
 * the partition of the region the call was made in.
 */
export const regionlessArn = (service: string, scope: Scope, resource: string): string =>
  `arn:${partitionOf(scope.region)}:${service}::${scope.account}:${resource}`;

/**
 * The same ARN in the partition of `region`: a principal configured as `arn:aws:iam::…` (an account
 * has one identity per partition) acting in cn-north-1 is `arn:aws-cn:iam::…`. Values that are not
 * `aws` ARNs are kept as they are.
 */
export function inPartitionOf(value: string, region: string): string {
  const partition = partitionOf(region);
  return partition !== 'aws' && value.startsWith('arn:aws:') ? `arn:${partition}:${value.slice('arn:aws:'.length)}` : value;
}

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
