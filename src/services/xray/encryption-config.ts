/**
 * PutEncryptionConfig / GetEncryptionConfig: with Type KMS, trace documents stored from then on are
 * sealed with that key (AES-256-GCM under a data key Osprey keeps for the key ARN; store/keys —
 * Osprey has no KMS, so any well-formed key or alias of the Region names a key) and opened when
 * read; Type NONE stores new documents as they are. Documents already stored keep the key they were
 * stored with. The service-graph columns (names, statuses, times) are not sealed.
 */
import type { EncryptionConfig, GetEncryptionConfigResult, PutEncryptionConfigRequest, PutEncryptionConfigResult } from '@aws-sdk/client-xray';
import { parseArn } from '../../lib/arn.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { XrayDeps } from './deps.ts';
import { invalidRequest } from './errors.ts';

/** A key id, alias name, key ARN or alias ARN (PutEncryptionConfig's KeyId forms) → an ARN. */
function keyArn(ctx: Ctx, keyId: string): string {
  const prefix = `arn:aws:kms:${ctx.region}:${ctx.account}:`;
  if (/^alias\/[A-Za-z0-9/_-]{1,250}$/.test(keyId)) return `${prefix}${keyId}`;
  if (/^(mrk-)?[A-Za-z0-9-]{1,128}$/.test(keyId)) return `${prefix}key/${keyId}`;
  const p = parseArn(keyId);
  if (!p || p.service !== 'kms' || !/^(key\/[A-Za-z0-9-]{1,128}|alias\/[A-Za-z0-9/_-]{1,250})$/.test(p.resource)) {
    throw invalidRequest(`KeyId ${keyId} is not a KMS key: use a key id, alias/<name>, or a key or alias ARN.`);
  }
  if (p.region !== ctx.region) throw invalidRequest(`The KMS key ${keyId} must be in the same Region as X-Ray (${ctx.region}).`);
  return keyId;
}

function config(keyId: string | undefined): EncryptionConfig {
  // Applied as the call returns (nothing is re-encrypted), so the status is ACTIVE at once.
  return keyId ? { KeyId: keyId, Status: 'ACTIVE', Type: 'KMS' } : { Status: 'ACTIVE', Type: 'NONE' };
}

export async function putEncryptionConfig(deps: XrayDeps, ctx: Ctx, input: PutEncryptionConfigRequest): Promise<PutEncryptionConfigResult> {
  if (input.Type === 'NONE') {
    if (input.KeyId !== undefined) throw invalidRequest('KeyId is only used with Type KMS; omit it for Type NONE.');
    await deps.repo.setEncryptionKey(ctx, undefined);
    return { EncryptionConfig: config(undefined) };
  }
  if (!input.KeyId) throw invalidRequest('KeyId is required with Type KMS.');
  const arn = keyArn(ctx, input.KeyId);
  await deps.repo.setEncryptionKey(ctx, arn);
  return { EncryptionConfig: config(arn) };
}

export async function getEncryptionConfig(deps: XrayDeps, ctx: Ctx): Promise<GetEncryptionConfigResult> {
  return { EncryptionConfig: config(await deps.repo.encryptionKey(ctx)) };
}
