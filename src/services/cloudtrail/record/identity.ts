/** userIdentity from the caller's principal ARN (the SigV4 key's configured principal). */
import { createHash } from 'node:crypto';
import type { UserIdentity } from './types.ts';

/** AWS principal ids are opaque: a stable id per principal (AIDA… users, AROA… roles) is enough. */
function uniqueId(prefix: string, arn: string): string {
  const h = createHash('sha256').update(arn).digest();
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = prefix;
  for (let i = 0; id.length < 21; i++) id += alphabet[h[i]! % 32];
  return id;
}

export function identityOf(principalArn: string, accountId: string, accessKeyId: string): UserIdentity {
  const key = accessKeyId ? { accessKeyId } : {};
  const resource = principalArn.split(':').slice(5).join(':');
  if (resource === 'root') return { type: 'Root', principalId: accountId, arn: principalArn, accountId, ...key };
  if (resource.startsWith('user/')) {
    const userName = resource.split('/').at(-1)!;
    return { type: 'IAMUser', principalId: uniqueId('AIDA', principalArn), arn: principalArn, accountId, ...key, userName };
  }
  if (resource.startsWith('assumed-role/')) {
    const [, role, session] = resource.split('/');
    return { type: 'AssumedRole', principalId: `${uniqueId('AROA', `${role}`)}:${session ?? ''}`, arn: principalArn, accountId, ...key };
  }
  return principalArn ? { type: 'Unknown', principalId: accountId, arn: principalArn, accountId, ...key } : { type: 'Unknown', accountId, ...key };
}
