import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode as cborDecode } from 'cbor-x';
import { XMLParser } from 'fast-xml-parser';
import { isServedSigningName, unservedServiceResponse } from './unserved.ts';

const xml = new XMLParser();
const text = (b: string | Buffer): string => (typeof b === 'string' ? b : b.toString('utf8'));

test("Osprey's own signing names are served; others are not", () => {
  for (const s of ['monitoring', 'logs', 'events', 'cloudtrail', 'xray', 'sns', 'sqs', 'kinesis', 'firehose']) assert.equal(isServedSigningName(s), true, s);
  for (const s of ['s3', 'dynamodb', 'sts', 'lambda', 'ec2']) assert.equal(isServedSigningName(s), false, s);
});

test('every answer is a 501 NotImplemented naming the service and what Osprey serves', () => {
  const r = unservedServiceResponse({ headers: {} }, 'lambda', 'rid-1');
  assert.equal(r.status, 501);
  assert.equal(r.headers['x-amzn-RequestId'], 'rid-1');
  const body = JSON.parse(text(r.body)) as { __type: string; message: string };
  assert.equal(body.__type, 'NotImplemented');
  assert.match(body.message, /does not serve the AWS service 'lambda'.*CloudWatch Logs \(logs\)/);
});

test('awsJson requests get a JSON error in the JSON version they sent', () => {
  const r = unservedServiceResponse({ headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' } }, 'dynamodb', 'r');
  assert.equal(r.headers['Content-Type'], 'application/x-amz-json-1.0');
  assert.equal((JSON.parse(text(r.body)) as { __type: string }).__type, 'NotImplemented');
  const r11 = unservedServiceResponse({ headers: { 'x-amz-target': 'Foo.Bar', 'content-type': 'application/x-amz-json-1.1' } }, 'glue', 'r');
  assert.equal(r11.headers['Content-Type'], 'application/x-amz-json-1.1');
});

test('awsQuery / ec2 form posts get <ErrorResponse><Error> XML', () => {
  const r = unservedServiceResponse({ headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } }, 'sts', 'r');
  assert.equal(r.headers['Content-Type'], 'text/xml');
  const doc = xml.parse(text(r.body)) as { ErrorResponse: { Error: { Code: string; Message: string; Type: string } } };
  assert.equal(doc.ErrorResponse.Error.Code, 'NotImplemented');
  assert.match(doc.ErrorResponse.Error.Message, /'sts'/);
});

test('restXml services (S3) get S3-style <Error> XML; restJson ones JSON with x-amzn-ErrorType', () => {
  const s3 = unservedServiceResponse({ headers: {} }, 's3', 'r');
  assert.equal(s3.headers['Content-Type'], 'application/xml');
  const doc = xml.parse(text(s3.body)) as { Error: { Code: string; Message: string } };
  assert.equal(doc.Error.Code, 'NotImplemented');
  assert.match(doc.Error.Message, /'s3'/);
  const rest = unservedServiceResponse({ headers: {} }, 'lambda', 'r');
  assert.equal(rest.headers['x-amzn-ErrorType'], 'NotImplemented');
});

test('rpc-v2-cbor requests get a CBOR error', () => {
  const r = unservedServiceResponse({ headers: { 'smithy-protocol': 'rpc-v2-cbor' } }, 'dynamodb', 'r');
  assert.equal(r.headers['Content-Type'], 'application/cbor');
  const doc = cborDecode(r.body as Buffer) as { __type: string; message: string };
  assert.equal(doc.__type, 'NotImplemented');
  assert.match(doc.message, /'dynamodb'/);
});
