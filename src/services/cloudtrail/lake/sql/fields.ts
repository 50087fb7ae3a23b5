/**
 * The columns a Lake query sees (CloudTrail Lake's event schema, names case-insensitive as in
 * Trino) and the ClickHouse expression each becomes over a `trail_events` row: the table's own
 * column where one exists (so filters use its sort key and skip the JSON), else extraction from
 * the record's JSON. Absent members are NULL, as in Lake.
 */
const str = (...path: string[]) => `JSONExtract(record, ${path.map((p) => `'${p}'`).join(', ')}, 'Nullable(String)')`;
const bool = (...path: string[]) => `JSONExtract(record, ${path.map((p) => `'${p}'`).join(', ')}, 'Nullable(Bool)')`;

/** The event time as Lake shows it: a UTC timestamp with milliseconds. */
export const EVENT_TIME_SQL = "fromUnixTimestamp64Milli(event_time, 'UTC')";

/** Lower-cased field path → ClickHouse expression. */
export const SCALAR_FIELDS: ReadonlyMap<string, string> = new Map([
  ['eventversion', str('eventVersion')],
  ['eventtime', EVENT_TIME_SQL],
  ['eventsource', 'event_source'],
  ['eventname', 'event_name'],
  ['awsregion', 'region'],
  ['sourceipaddress', str('sourceIPAddress')],
  ['useragent', str('userAgent')],
  ['errorcode', "nullIf(error_code, '')"],
  ['errormessage', str('errorMessage')],
  ['requestid', str('requestID')],
  ['eventid', 'event_id'],
  ['readonly', 'toBool(read_only)'],
  ['eventtype', str('eventType')],
  ['managementevent', bool('managementEvent')],
  ['recipientaccountid', 'account'],
  ['eventcategory', 'event_category'],
  ['sharedeventid', str('sharedEventID')],
  ['useridentity.type', str('userIdentity', 'type')],
  ['useridentity.principalid', str('userIdentity', 'principalId')],
  ['useridentity.arn', str('userIdentity', 'arn')],
  ['useridentity.accountid', str('userIdentity', 'accountId')],
  ['useridentity.accesskeyid', "nullIf(access_key_id, '')"],
  ['useridentity.username', str('userIdentity', 'userName')],
  ['useridentity.invokedby', str('userIdentity', 'invokedBy')],
  ['tlsdetails.tlsversion', str('tlsDetails', 'tlsVersion')],
  ['tlsdetails.ciphersuite', str('tlsDetails', 'cipherSuite')],
  ['tlsdetails.clientprovidedhostheader', str('tlsDetails', 'clientProvidedHostHeader')],
]);

/** Lake's map<string,string> columns (and structs read whole): the record member they come from. */
export const MAP_FIELDS: ReadonlyMap<string, string> = new Map([
  ['requestparameters', 'requestParameters'],
  ['responseelements', 'responseElements'],
  ['additionaleventdata', 'additionalEventData'],
  ['useridentity', 'userIdentity'],
  ['tlsdetails', 'tlsDetails'],
  ['insightdetails', 'insightDetails'],
  ['resources', 'resources'],
]);

/** What `SELECT *` returns, in Lake's column order. */
export const STAR_FIELDS = [
  'eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent',
  'errorCode', 'errorMessage', 'requestParameters', 'responseElements', 'additionalEventData', 'requestId', 'eventId',
  'readOnly', 'resources', 'eventType', 'managementEvent', 'recipientAccountId', 'eventCategory', 'tlsDetails',
] as const;

/** A JSON member as a string: strings as they are, objects and arrays as their JSON text, absent → NULL. */
export function memberAsString(path: readonly string[]): string {
  const args = path.map((p) => quote(p)).join(', ');
  return `if(JSONType(record, ${args}) = 'String', JSONExtract(record, ${args}, 'Nullable(String)'), nullIf(JSONExtractRaw(record, ${args}), ''))`;
}

export const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
