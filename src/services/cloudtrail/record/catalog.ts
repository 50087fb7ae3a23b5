/**
 * What CloudTrail knows about each operation beyond its model: whether it only reads, whether it is
 * a data event (and of which resource type), which request members are too large to record, and
 * which hold secrets. AWS decides these per operation; Osprey's choices are listed here so that one
 * table, not scattered code, answers "how is X recorded".
 */

/** Operations whose names start so only read (AWS records them with readOnly: true). */
const READ_ONLY_PREFIX = /^(Describe|Get|List|Lookup|Test|Filter|BatchGet|Search|Select|Export|Check)/;
/** Reads whose names do not say so. */
const READ_ONLY_EXTRA = new Set(['logs.StartQuery', 'logs.StopQuery', 'logs.StartLiveTail', 'cloudtrail.StartQuery', 'cloudtrail.CancelQuery']);

export function isReadOnly(service: string, operation: string): boolean {
  const key = `${service}.${operation}`;
  return READ_ONLY_EXTRA.has(key) || READ_ONLY_PREFIX.test(operation);
}

/**
 * Data events (recorded only for trails whose selectors ask for them; never in event history) and
 * their resource type, the value of `resources.type` in advanced selectors.
 */
export const DATA_EVENTS: Readonly<Record<string, string>> = {
  'logs.PutLogEvents': 'AWS::Logs::LogGroup',
  'logs.GetLogEvents': 'AWS::Logs::LogGroup',
  'logs.FilterLogEvents': 'AWS::Logs::LogGroup',
  'cloudwatch.PutMetricData': 'AWS::CloudWatch::Metric',
  'cloudwatch.GetMetricData': 'AWS::CloudWatch::Metric',
  'cloudwatch.GetMetricStatistics': 'AWS::CloudWatch::Metric',
  'events.PutEvents': 'AWS::Events::EventBus',
};

/**
 * Request members left out of requestParameters because of their size, as AWS does for the
 * payloads of data-plane calls (paths are model member names; `[]` descends into list elements).
 */
export const OMITTED_REQUEST_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  'logs.PutLogEvents': ['logEvents'],
  'cloudwatch.PutMetricData': ['MetricData[].Values', 'MetricData[].Counts', 'MetricData[].Value', 'MetricData[].StatisticValues'],
  'events.PutEvents': ['Entries[].Detail'],
  'cloudwatch.PutDashboard': ['DashboardBody'],
  'sns.Publish': ['Message', 'MessageAttributes'],
  'sns.PublishBatch': ['PublishBatchRequestEntries[].Message', 'PublishBatchRequestEntries[].MessageAttributes'],
};

/** Response members left out (large read results of mutating calls). */
export const OMITTED_RESPONSE_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  'logs.PutLogEvents': ['rejectedLogEventsInfo'],
};

/**
 * Secrets the models do not mark `sensitive`: recorded as HIDDEN_DUE_TO_SECURITY_REASONS. A
 * predicate sees the whole input (a SecureString's value is hidden, a String's is not).
 */
export const SECRET_MEMBERS: Readonly<Record<string, ReadonlyArray<{ path: string; when?: (input: Record<string, unknown>) => boolean }>>> = {
  'events.CreateConnection': secretAuth(),
  'events.UpdateConnection': secretAuth(),
  'ssm.PutParameter': [{ path: 'Value', when: (i) => i.Type === 'SecureString' }],
  'sns.Subscribe': [{ path: 'Endpoint', when: (i) => /^https?:\/\/[^/]*@/i.test(String(i.Endpoint ?? '')) }],
};

function secretAuth(): Array<{ path: string }> {
  return [
    'AuthParameters.BasicAuthParameters.Password',
    'AuthParameters.ApiKeyAuthParameters.ApiKeyValue',
    'AuthParameters.OAuthParameters.ClientParameters.ClientSecret',
  ].map((path) => ({ path }));
}

export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';
