/**
 * Firehose through the AWS CLI v1 and boto3 1.26 (Debian's /usr/bin/python3): create, put, describe,
 * list and errors, and the records reaching the bucket as one object.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bucketDirs, bucketMap, objects } from './helpers/firehose.ts';
import { FirehoseClient, UpdateDestinationCommand } from '@aws-sdk/client-firehose';
import { startTestServer, awsEnv, sdkConfig, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

let server: TestServer;
const dirs = bucketDirs(['clients']);
before(async () => {
  server = await startTestServer({ modules: ['firehose'], env: { OSPREY_EXPORT_BUCKETS: bucketMap(dirs) } });
});
after(async () => {
  await server.stop();
  server.cleanup();
});

const DEST = JSON.stringify({ RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: 'arn:aws:s3:::clients', Prefix: 'cli/', BufferingHints: { IntervalInSeconds: 1, SizeInMBs: 1 } });

test('AWS CLI v1: create-delivery-stream, put-record-batch, describe, list, errors; the object holds the records', async () => {
  const aws = (...args: string[]) => execFileSync('aws', ['firehose', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv(), encoding: 'utf8' });
  const { DeliveryStreamARN } = JSON.parse(aws('create-delivery-stream', '--delivery-stream-name', 'cli', '--extended-s3-destination-configuration', DEST)) as { DeliveryStreamARN: string };
  assert.match(DeliveryStreamARN, /:deliverystream\/cli$/);
  const file = join(mkdtempSync(join(tmpdir(), 'osprey-cli-')), 'records.json');
  writeFileSync(file, JSON.stringify([{ Data: 'first\n' }, { Data: 'second\n' }]));
  const out = JSON.parse(aws('put-record-batch', '--delivery-stream-name', 'cli', '--records', `file://${file}`)) as { FailedPutCount: number; RequestResponses: { RecordId: string }[] };
  assert.equal(out.FailedPutCount, 0);
  assert.equal(out.RequestResponses.length, 2);
  const d = JSON.parse(aws('describe-delivery-stream', '--delivery-stream-name', 'cli')) as { DeliveryStreamDescription: { VersionId: string; Destinations: { DestinationId: string }[] } };
  assert.equal(d.DeliveryStreamDescription.VersionId, '1');
  assert.equal(d.DeliveryStreamDescription.Destinations[0]!.DestinationId, 'destinationId-000000000001');
  assert.deepEqual((JSON.parse(aws('list-delivery-streams')) as { DeliveryStreamNames: string[] }).DeliveryStreamNames, ['cli']);
  assert.throws(() => aws('describe-delivery-stream', '--delivery-stream-name', 'missing'), /ResourceNotFoundException/);
  const objs = await until('the object', async () => ((await objects(dirs.clients!, 'cli/')).size > 0 ? objects(dirs.clients!, 'cli/') : undefined), 5000);
  assert.equal([...objs.values()][0]!.toString(), 'first\nsecond\n');
});

const BOTO = String.raw`
import boto3, sys, json
fh = boto3.client('firehose', endpoint_url=sys.argv[1])
fh.create_delivery_stream(DeliveryStreamName='boto', DeliveryStreamType='DirectPut', ExtendedS3DestinationConfiguration=json.loads(sys.argv[2]))
r = fh.put_record_batch(DeliveryStreamName='boto', Records=[{'Data': b'\x00bin\xff'}, {'Data': b'text\n'}])
assert r['FailedPutCount'] == 0 and len(r['RequestResponses']) == 2, r
one = fh.put_record(DeliveryStreamName='boto', Record={'Data': b'last'})
assert one['RecordId']
try:
    fh.put_record(DeliveryStreamName='nope', Record={'Data': b'x'}); raise SystemExit('no error')
except fh.exceptions.ResourceNotFoundException as e:
    assert 'nope' in str(e)
try:
    fh.update_destination(DeliveryStreamName='boto', CurrentDeliveryStreamVersionId='5', DestinationId='destinationId-000000000001', ExtendedS3DestinationUpdate={'Prefix': 'y/'}); raise SystemExit('no error')
except fh.exceptions.ConcurrentModificationException:
    pass
d = fh.describe_delivery_stream(DeliveryStreamName='boto')['DeliveryStreamDescription']
print(json.dumps({'status': d['DeliveryStreamStatus'], 'version': d['VersionId'], 'bucket': d['Destinations'][0]['ExtendedS3DestinationDescription']['BucketARN']}))
`;

test('boto3 1.26: create, put_record_batch with binary data, put_record, modeled errors; the object holds the bytes', async () => {
  // botocore 1.29 still knows IntervalInSeconds' old minimum of 60: the buffer is shortened afterwards with SDK v3.
  const dest = JSON.stringify({ RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: 'arn:aws:s3:::clients', Prefix: 'boto/', BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 1 } });
  const out = execFileSync('/usr/bin/python3', ['-c', BOTO, server.url, dest], { env: awsEnv(), encoding: 'utf8' });
  const r = JSON.parse(out) as { version: string; bucket: string };
  assert.deepEqual({ version: r.version, bucket: r.bucket }, { version: '1', bucket: 'arn:aws:s3:::clients' });
  await new FirehoseClient(sdkConfig(server.url)).send(new UpdateDestinationCommand({
    DeliveryStreamName: 'boto', CurrentDeliveryStreamVersionId: '1', DestinationId: 'destinationId-000000000001', ExtendedS3DestinationUpdate: { BufferingHints: { IntervalInSeconds: 0 } },
  }));
  const objs = await until('the object', async () => ((await objects(dirs.clients!, 'boto/')).size > 0 ? objects(dirs.clients!, 'boto/') : undefined), 5000);
  assert.deepEqual(Buffer.concat([...objs.values()]), Buffer.concat([Buffer.from([0, 0x62, 0x69, 0x6e, 0xff]), Buffer.from('text\nlast')]));
});

// boto3 1.26: the management operations — update_destination with the version check, tags,
// encryption on and off, listing by type, deletion.
const BOTO_MANAGE = String.raw`
import boto3, sys, json, time
fh = boto3.client('firehose', endpoint_url=sys.argv[1])
fh.create_delivery_stream(DeliveryStreamName='mgmt', DeliveryStreamType='DirectPut', ExtendedS3DestinationConfiguration=json.loads(sys.argv[2]), Tags=[{'Key': 'team', 'Value': 'obs'}])
for _ in range(50):
    d = fh.describe_delivery_stream(DeliveryStreamName='mgmt')['DeliveryStreamDescription']
    if d['DeliveryStreamStatus'] == 'ACTIVE': break
    time.sleep(0.1)
assert d['DeliveryStreamStatus'] == 'ACTIVE', d['DeliveryStreamStatus']
dest = d['Destinations'][0]['DestinationId']
fh.update_destination(DeliveryStreamName='mgmt', CurrentDeliveryStreamVersionId=d['VersionId'], DestinationId=dest, ExtendedS3DestinationUpdate={'Prefix': 'changed/'})
d2 = fh.describe_delivery_stream(DeliveryStreamName='mgmt')['DeliveryStreamDescription']
assert d2['VersionId'] == str(int(d['VersionId']) + 1) and d2['Destinations'][0]['ExtendedS3DestinationDescription']['Prefix'] == 'changed/'
try:
    fh.update_destination(DeliveryStreamName='mgmt', CurrentDeliveryStreamVersionId=d['VersionId'], DestinationId=dest, ExtendedS3DestinationUpdate={'Prefix': 'stale/'}); raise SystemExit('no error')
except fh.exceptions.ConcurrentModificationException:
    pass
fh.tag_delivery_stream(DeliveryStreamName='mgmt', Tags=[{'Key': 'env', 'Value': 'dev'}])
fh.untag_delivery_stream(DeliveryStreamName='mgmt', TagKeys=['team'])
assert fh.list_tags_for_delivery_stream(DeliveryStreamName='mgmt')['Tags'] == [{'Key': 'env', 'Value': 'dev'}]
fh.start_delivery_stream_encryption(DeliveryStreamName='mgmt', DeliveryStreamEncryptionConfigurationInput={'KeyType': 'AWS_OWNED_CMK'})
for _ in range(50):
    enc = fh.describe_delivery_stream(DeliveryStreamName='mgmt')['DeliveryStreamDescription']['DeliveryStreamEncryptionConfiguration']
    if enc['Status'] == 'ENABLED': break
    time.sleep(0.1)
assert enc['Status'] == 'ENABLED', enc
fh.stop_delivery_stream_encryption(DeliveryStreamName='mgmt')
assert 'mgmt' in fh.list_delivery_streams(DeliveryStreamType='DirectPut')['DeliveryStreamNames']
assert 'mgmt' not in fh.list_delivery_streams(DeliveryStreamType='KinesisStreamAsSource')['DeliveryStreamNames']
fh.delete_delivery_stream(DeliveryStreamName='mgmt')
for _ in range(50):
    try:
        fh.describe_delivery_stream(DeliveryStreamName='mgmt'); time.sleep(0.1)
    except fh.exceptions.ResourceNotFoundException:
        print('ok'); break
`;

test('boto3 1.26: update_destination with the version check, tags, encryption, listing by type, delete', () => {
  const dest = JSON.stringify({ RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: 'arn:aws:s3:::clients', Prefix: 'mgmt/' });
  const out = execFileSync('/usr/bin/python3', ['-c', BOTO_MANAGE, server.url, dest], { env: awsEnv(), encoding: 'utf8' });
  assert.equal(out.trim(), 'ok');
});

test('AWS CLI v1: update-destination with the version check, put-record, tags, encryption, listing by type, delete', async () => {
  const raw = (...args: string[]) => execFileSync('aws', ['firehose', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const aws = <T = Record<string, unknown>>(...args: string[]): T => {
    const out = raw(...args).trim();
    return (out === '' ? {} : JSON.parse(out)) as T;
  };
  type Description = { DeliveryStreamDescription: { VersionId: string; DeliveryStreamStatus: string; Destinations: { DestinationId: string; ExtendedS3DestinationDescription: { Prefix: string } }[];
    DeliveryStreamEncryptionConfiguration?: { Status: string } } };
  const describe = () => aws<Description>('describe-delivery-stream', '--delivery-stream-name', 'cli-mgmt').DeliveryStreamDescription;
  aws('create-delivery-stream', '--delivery-stream-name', 'cli-mgmt', '--delivery-stream-type', 'DirectPut', '--extended-s3-destination-configuration',
    JSON.stringify({ RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: 'arn:aws:s3:::clients', Prefix: 'cli-mgmt/', BufferingHints: { IntervalInSeconds: 0, SizeInMBs: 1 } }),
    '--tags', 'Key=team,Value=obs');
  const d = await until('ACTIVE', async () => (describe().DeliveryStreamStatus === 'ACTIVE' ? describe() : undefined), 5000);
  const dest = d.Destinations[0]!.DestinationId;
  aws('update-destination', '--delivery-stream-name', 'cli-mgmt', '--current-delivery-stream-version-id', d.VersionId, '--destination-id', dest,
    '--extended-s3-destination-update', 'Prefix=changed/');
  assert.deepEqual([describe().VersionId, describe().Destinations[0]!.ExtendedS3DestinationDescription.Prefix], [String(Number(d.VersionId) + 1), 'changed/']);
  assert.throws(() => raw('update-destination', '--delivery-stream-name', 'cli-mgmt', '--current-delivery-stream-version-id', d.VersionId, '--destination-id', dest,
    '--extended-s3-destination-update', 'Prefix=stale/'), /ConcurrentModificationException/);

  // CLI v1 takes a blob argument as raw text and base64-encodes it itself (v2 expects base64).
  const { RecordId } = aws<{ RecordId: string }>('put-record', '--delivery-stream-name', 'cli-mgmt', '--record', 'Data=one record');
  assert.ok(RecordId);
  const objs = await until('the object', async () => ((await objects(dirs.clients!, 'changed/')).size > 0 ? objects(dirs.clients!, 'changed/') : undefined), 5000);
  assert.equal([...objs.values()][0]!.toString(), 'one record');

  aws('tag-delivery-stream', '--delivery-stream-name', 'cli-mgmt', '--tags', 'Key=env,Value=dev');
  aws('untag-delivery-stream', '--delivery-stream-name', 'cli-mgmt', '--tag-keys', 'team');
  assert.deepEqual(aws<{ Tags: unknown[] }>('list-tags-for-delivery-stream', '--delivery-stream-name', 'cli-mgmt').Tags, [{ Key: 'env', Value: 'dev' }]);
  aws('start-delivery-stream-encryption', '--delivery-stream-name', 'cli-mgmt', '--delivery-stream-encryption-configuration-input', 'KeyType=AWS_OWNED_CMK');
  await until('encryption on', async () => (describe().DeliveryStreamEncryptionConfiguration?.Status === 'ENABLED' || undefined), 5000);
  aws('stop-delivery-stream-encryption', '--delivery-stream-name', 'cli-mgmt');
  await until('encryption off', async () => (describe().DeliveryStreamEncryptionConfiguration?.Status === 'DISABLED' || undefined), 5000);
  assert.ok(aws<{ DeliveryStreamNames: string[] }>('list-delivery-streams', '--delivery-stream-type', 'DirectPut').DeliveryStreamNames.includes('cli-mgmt'));
  assert.ok(!aws<{ DeliveryStreamNames: string[] }>('list-delivery-streams', '--delivery-stream-type', 'KinesisStreamAsSource').DeliveryStreamNames.includes('cli-mgmt'));
  aws('delete-delivery-stream', '--delivery-stream-name', 'cli-mgmt');
  await until('deleted', async () => {
    try {
      raw('describe-delivery-stream', '--delivery-stream-name', 'cli-mgmt');
      return undefined;
    } catch (e) {
      return /ResourceNotFoundException/.test(String(e)) || undefined;
    }
  }, 10_000);
});
