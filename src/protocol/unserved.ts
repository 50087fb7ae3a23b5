/**
 * Answers SigV4-signed requests for AWS services Osprey does not serve (S3, DynamoDB, STS, SQS…).
 * Without this, `aws s3 ls --endpoint-url <osprey>` got the console's HTML with a 200, which the
 * CLI could not parse and retried into "(500) reached max retries".
 *
 * The service is read from the credential scope (Authorization header or X-Amz-Credential), which
 * every signed request carries. The answer is 501 NotImplemented: no AWS client retries a 501
 * (botocore's legacy and standard modes and SDK v3 retry 500/502/503/504 and throttling codes),
 * so the CLI stops at once with the message. Its body is shaped for the protocol family the
 * request was sent in, so every client's error parser finds the code and message.
 */
import { encodeCborError } from './cbor-codec.ts';
import { loadModel } from './models/index.ts';
import { PROFILES } from './profiles.ts';
import { encodeQueryError } from './query-codec.ts';
import { escapeXmlText } from './xml-codec.ts';

export interface UnservedRequest {
  headers: Record<string, string | string[] | undefined>;
}

export interface UnservedResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const SERVED_SIGNING_NAMES = new Set(Object.values(PROFILES).map((p) => p.signingName));

/** restXml services (botocore models): their clients parse XML errors only. */
const REST_XML_SIGNING_NAMES = new Set(['s3', 's3express', 's3-outposts', 'cloudfront', 'route53']);

export const isServedSigningName = (service: string): boolean => SERVED_SIGNING_NAMES.has(service);

let servedList: string | undefined;
/** "CloudWatch (monitoring), CloudWatch Logs (logs), …": names a user can map to CLI commands. */
function describeServed(): string {
  servedList ??= Object.values(PROFILES)
    .map((p) => `${loadModel(p.name).metadata.serviceId} (${p.signingName})`)
    .join(', ');
  return servedList;
}

const header = (h: UnservedRequest['headers'], name: string): string => {
  const v = h[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};

const CODE = 'NotImplemented';

/** The error response for a request signed for `service`, which Osprey does not serve. */
export function unservedServiceResponse(req: UnservedRequest, service: string, requestId: string): UnservedResponse {
  const message =
    `Osprey does not serve the AWS service '${service}' (named in the request's SigV4 credential scope); ` +
    `this endpoint serves ${describeServed()}`;
  const headers: Record<string, string> = { 'x-amzn-RequestId': requestId };
  const contentType = header(req.headers, 'content-type').toLowerCase();

  if (header(req.headers, 'smithy-protocol') === 'rpc-v2-cbor') {
    headers['Content-Type'] = 'application/cbor';
    headers['smithy-protocol'] = 'rpc-v2-cbor';
    return { status: 501, headers, body: encodeCborError(CODE, message) };
  }
  if (header(req.headers, 'x-amz-target') !== '') {
    // awsJson 1.0 / 1.1: answer in the version the client sent.
    headers['Content-Type'] = contentType.startsWith('application/x-amz-json-1.0') ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
    return { status: 501, headers, body: JSON.stringify({ __type: CODE, message }) };
  }
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    // awsQuery and ec2: botocore's parsers for both read <ErrorResponse><Error>.
    headers['Content-Type'] = 'text/xml';
    return { status: 501, headers, body: encodeQueryError('https://osprey.local/doc/unserved/', { code: CODE, message, sender: false }, requestId) };
  }
  if (REST_XML_SIGNING_NAMES.has(service)) {
    // S3's own form; botocore and SDK v3 read it for every restXml service.
    headers['Content-Type'] = 'application/xml';
    headers['x-amz-request-id'] = requestId;
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${CODE}</Code><Message>${escapeXmlText(message)}</Message>` +
      `<RequestId>${escapeXmlText(requestId)}</RequestId></Error>`;
    return { status: 501, headers, body };
  }
  // restJson: the code travels in x-amzn-ErrorType, the message in the body.
  headers['Content-Type'] = 'application/json';
  headers['x-amzn-ErrorType'] = CODE;
  return { status: 501, headers, body: JSON.stringify({ __type: CODE, message }) };
}
