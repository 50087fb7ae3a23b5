/**
 * The AWS services Osprey has models for: name → botocore `data/<path>/service-2.json`. This is the
 * "models list": `npm run sync-models` copies each into ./data, and every wire-layer lookup
 * (routing by target prefix, query version, REST path, signing name) is built from it. A model here
 * without a module in src/server/modules.ts answers 501 NotImplemented per operation.
 */
export const SERVICE_MODELS = {
  cloudwatch: 'cloudwatch/2010-08-01',
  logs: 'logs/2014-03-28',
  events: 'events/2015-10-07',
  cloudtrail: 'cloudtrail/2013-11-01',
  xray: 'xray/2016-04-12',
  sns: 'sns/2010-03-31',
  scheduler: 'scheduler/2021-06-30',
  schemas: 'schemas/2019-12-02',
  ssm: 'ssm/2014-11-06',
  synthetics: 'synthetics/2017-10-11',
  athena: 'athena/2017-05-18',
  sqs: 'sqs/2012-11-05',
  kinesis: 'kinesis/2013-12-02',
  firehose: 'firehose/2015-08-04',
  health: 'health/2016-08-04',
} as const;

export type ServiceName = keyof typeof SERVICE_MODELS;

export const SERVICE_NAMES = Object.keys(SERVICE_MODELS) as ServiceName[];

/**
 * awsQueryCompatible services whose current model dropped the awsQuery serialization traits (element
 * names, result wrappers) that older clients still send and expect: SQS became awsJson1_0 in
 * botocore 1.31, and boto3 1.26 / CLI v1 of that era still speak awsQuery. `npm run sync-models`
 * overlays those traits from an older botocore onto the current model into `data/<name>.query.json`,
 * which the awsQuery codec reads for these services.
 */
export const QUERY_TRAIT_MODELS: Partial<Record<ServiceName, string>> = {
  sqs: 'sqs/2012-11-05',
};
