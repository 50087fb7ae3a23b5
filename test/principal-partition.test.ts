// A key's principal (configured once, arn:aws:iam::<account>:root by default) acts in the partition of
// the region a request is signed for: handlers and the audit trail see arn:aws-cn:iam::… in
// cn-north-1. Drives the protocol engine directly with a request signed like SDK v3 signs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { ProtocolEngine, type RawRequest } from '../src/protocol/engine.ts';
import type { AuditRecord } from '../src/protocol/audit.ts';
import { systemClock } from '../src/lib/clock.ts';
import { silentLogger } from '../src/lib/logger.ts';

async function signedListDashboards(region: string): Promise<RawRequest> {
  const body = Buffer.from('{}');
  const signer = new SignatureV4({
    service: 'monitoring', region, credentials: { accessKeyId: 'k', secretAccessKey: 's' }, sha256: Hash.bind(null, 'sha256'),
  });
  const headers = {
    host: '127.0.0.1:4566', 'content-type': 'application/x-amz-json-1.0', 'content-length': String(body.length),
    'x-amz-target': 'GraniteServiceVersion20100801.ListDashboards', 'x-amzn-query-mode': 'true',
  };
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4566, path: '/', headers, body });
  return { method: 'POST', path: '/', rawQuery: '', headers: signed.headers, body, remoteAddress: '127.0.0.1' };
}

for (const [region, principal] of [
  ['cn-north-1', 'arn:aws-cn:iam::123456789012:root'],
  ['us-gov-east-1', 'arn:aws-us-gov:iam::123456789012:root'],
  ['eu-west-1', 'arn:aws:iam::123456789012:root'],
] as const) {
  test(`a request signed for ${region} acts as ${principal}`, async () => {
    const seen: string[] = [];
    const audited: AuditRecord[] = [];
    const engine = new ProtocolEngine({
      handlers: { cloudwatch: { ListDashboards: (ctx) => (seen.push(ctx.principalArn), { DashboardEntries: [] }) } },
      credentials: (id) => (id === 'k' ? { accessKeyId: 'k', secretAccessKey: 's', accountId: '123456789012', principalArn: 'arn:aws:iam::123456789012:root' } : undefined),
      clock: systemClock, log: silentLogger, audit: { record: (r) => void audited.push(r) },
      maxBodyBytes: 1 << 20, maxSkewMs: 15 * 60_000,
    });
    const res = await engine.handle(await signedListDashboards(region));
    assert.equal(res?.status, 200, String(res?.body));
    assert.deepEqual(seen, [principal]);
    assert.deepEqual(audited.map((r) => r.principalArn), [principal]);
  });
}
