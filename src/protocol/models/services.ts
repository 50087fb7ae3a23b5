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
} as const;

export type ServiceName = keyof typeof SERVICE_MODELS;

export const SERVICE_NAMES = Object.keys(SERVICE_MODELS) as ServiceName[];
