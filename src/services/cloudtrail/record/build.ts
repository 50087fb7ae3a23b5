/**
 * One API call (the protocol layer's AuditRecord) → its CloudTrail record, in AWS's schema and
 * member order. Calls no key could be tied to have no account to be recorded in and yield nothing.
 */
import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../../../protocol/audit.ts';
import type { ServiceName } from '../../../protocol/models/index.ts';
import { DATA_EVENTS, isReadOnly } from './catalog.ts';
import { identityOf } from './identity.ts';
import { requestParameters, responseElements } from './parameters.ts';
import { resourcesOf } from './resources.ts';
import type { CloudTrailRecord } from './types.ts';

export const EVENT_VERSION = '1.09';

/** `2026-12-05T02:17:12Z`: CloudTrail's eventTime has second precision. */
export const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function buildRecord(a: AuditRecord): CloudTrailRecord | undefined {
  if (!a.account) return undefined;
  if (a.consoleLogin) return consoleLogin(a);
  const service = a.service as ServiceName;
  const partition = a.principalArn.split(':')[1] || 'aws';
  const dataType = DATA_EVENTS[`${service}.${a.operation}`];
  const readOnly = isReadOnly(service, a.operation);
  const failed = a.errorCode !== undefined;
  const resources = resourcesOf(service, a.operation, a.input, { partition, account: a.account, region: a.region });
  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSION,
    userIdentity: identityOf(a.principalArn, a.account, a.accessKeyId),
    eventTime: isoSeconds(a.eventTime),
    eventSource: a.eventSource,
    eventName: a.operation,
    awsRegion: a.region,
    sourceIPAddress: sourceIp(a.sourceIp),
    userAgent: a.userAgent,
    ...(failed ? { errorCode: a.errorCode, errorMessage: a.errorMessage ?? '' } : {}),
    requestParameters: requestParameters(service, a.operation, a.input),
    // Reads and failures record no response, as AWS does (their results can be large).
    responseElements: failed || readOnly ? null : responseElements(service, a.operation, a.output),
    requestID: a.requestId,
    eventID: randomUUID(),
    readOnly,
    ...(resources.length > 0 || dataType ? { resources: dataType && resources.length === 0 ? [{ type: dataType }] : resources } : {}),
    eventType: 'AwsApiCall',
    managementEvent: !dataType,
    recipientAccountId: a.account,
    eventCategory: dataType ? 'Data' : 'Management',
  };
  return record;
}

/** The console's sign-in: AWS records it as ConsoleLogin from signin.amazonaws.com. */
function consoleLogin(a: AuditRecord): CloudTrailRecord {
  const ok = a.errorCode === undefined;
  return {
    eventVersion: EVENT_VERSION,
    userIdentity: identityOf(a.principalArn, a.account, a.accessKeyId),
    eventTime: isoSeconds(a.eventTime),
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: a.region,
    sourceIPAddress: sourceIp(a.sourceIp),
    userAgent: a.userAgent,
    ...(ok ? {} : { errorMessage: 'Failed authentication' }),
    requestParameters: null,
    responseElements: { ConsoleLogin: ok ? 'Success' : 'Failure' },
    additionalEventData: { LoginTo: a.host ? `http://${a.host}/` : '', MobileVersion: 'No', MFAUsed: 'No' },
    requestID: a.requestId,
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    recipientAccountId: a.account,
    eventCategory: 'Management',
  };
}

/** IPv4 clients arrive on a dual-stack socket as `::ffff:a.b.c.d`; AWS shows the IPv4 address. */
const sourceIp = (ip: string) => (ip.startsWith('::ffff:') ? ip.slice(7) : ip);
