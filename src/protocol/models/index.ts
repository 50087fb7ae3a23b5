/**
 * Loading the AWS service models (botocore `service-2.json`, stored in ./data) and the lookups every
 * codec needs: shapes by name, error shapes by code, the error namespace of JSON `__type`s.
 */
import { readFileSync } from 'node:fs';
import type { ServiceModel, Shape, StructureShape } from './types.ts';

export type * from './types.ts';

import type { ServiceName } from './services.ts';

import { QUERY_TRAIT_MODELS } from './services.ts';

export type { ServiceName } from './services.ts';
export { SERVICE_MODELS, SERVICE_NAMES } from './services.ts';

const loaded = new Map<ServiceName, ServiceModel>();

/** The model of one service, read from disk on first use and shared afterwards (treat it as read-only). */
export function loadModel(name: ServiceName): ServiceModel {
  let model = loaded.get(name);
  if (!model) {
    const url = new URL(`./data/${name}.json`, import.meta.url);
    model = JSON.parse(readFileSync(url, 'utf8')) as ServiceModel;
    loaded.set(name, model);
  }
  return model;
}

const queryViews = new Map<ServiceName, ServiceModel>();

/**
 * The model the awsQuery codec reads: the service's own model, or for an awsQueryCompatible service
 * whose current model dropped the awsQuery traits (SQS), its `<name>.query.json` view (same shapes
 * and operations, awsQuery element names, result wrappers and error codes; scripts/sync-models.ts).
 */
export function loadQueryModel(name: ServiceName): ServiceModel {
  if (!(name in QUERY_TRAIT_MODELS)) return loadModel(name);
  let model = queryViews.get(name);
  if (!model) {
    model = JSON.parse(readFileSync(new URL(`./data/${name}.query.json`, import.meta.url), 'utf8')) as ServiceModel;
    queryViews.set(name, model);
  }
  return model;
}

/** Whether a service answers awsQuery through a query view although its model declares only JSON. */
export const hasQueryView = (name: ServiceName): boolean => name in QUERY_TRAIT_MODELS;

/** A shape by name; a missing shape is a broken model, i.e. a bug, not a client error. */
export function getShape(model: ServiceModel, shapeName: string): Shape {
  const shape = model.shapes[shapeName];
  if (!shape) throw new Error(`Model ${model.metadata.serviceId} has no shape ${shapeName}`);
  return shape;
}

export interface ErrorShapeInfo {
  /** The shape name: what JSON protocols put in `__type`. */
  shapeName: string;
  /** What awsQuery puts in `<Code>` and `x-amzn-query-error` (the shape name when the model gives none). */
  awsQueryCode: string;
  status: number;
  /** true = Sender (client fault), false = Receiver. */
  sender: boolean;
}

interface ErrorIndex {
  byShapeName: Map<string, ErrorShapeInfo>;
  byQueryCode: Map<string, ErrorShapeInfo>;
}

const errorIndexes = new WeakMap<ServiceModel, ErrorIndex>();

function errorIndex(model: ServiceModel): ErrorIndex {
  let index = errorIndexes.get(model);
  if (index) return index;
  index = { byShapeName: new Map(), byQueryCode: new Map() };
  for (const [shapeName, shape] of Object.entries(model.shapes)) {
    if (shape.type !== 'structure' || !(shape.exception || shape.error)) continue;
    const info = errorInfo(shapeName, shape);
    index.byShapeName.set(shapeName, info);
    // Several shapes may share a code (CloudWatch ResourceNotFound / DashboardNotFoundError): keep the
    // first, which is alphabetical in botocore models and stable across loads.
    if (!index.byQueryCode.has(info.awsQueryCode)) index.byQueryCode.set(info.awsQueryCode, info);
  }
  errorIndexes.set(model, index);
  return index;
}

function errorInfo(shapeName: string, shape: StructureShape): ErrorShapeInfo {
  // Models without an `error` trait (Logs, Events) mark server-side errors with `fault: true`.
  const status = shape.error?.httpStatusCode ?? (shape.fault ? 500 : 400);
  return {
    shapeName,
    awsQueryCode: shape.error?.code ?? shapeName,
    status,
    sender: shape.error?.senderFault ?? status < 500,
  };
}

/**
 * The modeled error for a code that is either a shape name (`NotFoundException`) or an awsQuery
 * code (`NotFound`). Shape names win: SNS has both `ResourceNotFoundException` (code
 * `ResourceNotFound`) and `NotFoundException`, and a thrown shape name must stay that shape.
 */
export function findErrorShape(model: ServiceModel, code: string): ErrorShapeInfo | undefined {
  const index = errorIndex(model);
  return index.byShapeName.get(code) ?? index.byQueryCode.get(code);
}

/**
 * The namespace JSON protocols put before `#` in `__type` (protocols.md §3.3: the names in the SDK v3
 * error registries). Clients strip it, so a wrong one would still work, but it matches AWS.
 */
const ERROR_NAMESPACES: Record<string, string> = {
  monitoring: 'com.amazonaws.cloudwatch',
  logs: 'com.amazonaws.cloudwatchlogs',
  events: 'com.amazonaws.eventbridge',
  cloudtrail: 'com.amazonaws.cloudtrail.v20131101',
  xray: 'com.amazonaws.xray',
  sns: 'com.amazonaws.sns',
};

export function errorNamespace(model: ServiceModel): string {
  const prefix = model.metadata.endpointPrefix;
  return ERROR_NAMESPACES[prefix] ?? `com.amazonaws.${prefix}`;
}
