/**
 * The services this server runs, in start order (shutdown runs in reverse). Adding a service: its
 * folder under src/services with a module.ts factory, one line here, its model in `npm run sync-models`.
 */
import { createAthena } from '../services/athena/module.ts';
import { createCloudtrail } from '../services/cloudtrail/module.ts';
import { createCloudWatch } from '../services/cloudwatch/module.ts';
import { createEvents } from '../services/events/module.ts';
import { createFirehose } from '../services/firehose/module.ts';
import { createHealth } from '../services/health/module.ts';
import { createKinesis } from '../services/kinesis/module.ts';
import { createLogs } from '../services/logs/module.ts';
import { createScheduler } from '../services/scheduler/module.ts';
import { createSchemas } from '../services/schemas/module.ts';
import { createSns } from '../services/sns/module.ts';
import { createSqs } from '../services/sqs/module.ts';
import { createSsm } from '../services/ssm/module.ts';
import { createSynthetics } from '../services/synthetics/module.ts';
import { createXray } from '../services/xray/module.ts';
import type { ModuleFactory } from './module.ts';

export const MODULES: Record<string, ModuleFactory> = {
  logs: createLogs,
  cloudwatch: createCloudWatch,
  sns: createSns,
  sqs: createSqs,
  events: createEvents,
  ssm: createSsm,
  scheduler: createScheduler,
  schemas: createSchemas,
  cloudtrail: createCloudtrail,
  xray: createXray,
  synthetics: createSynthetics,
  athena: createAthena,
  kinesis: createKinesis,
  // After kinesis: a Kinesis-sourced stream reads it, and shutdown stops firehose first.
  firehose: createFirehose,
  // Last: its monitor probes the stores and outbox every other module uses.
  health: createHealth,
};
