/**
 * requestParameters / responseElements from a call's decoded input or output: AWS writes member
 * names with a lower-case first letter (`logGroupName`, `alarmNames`, `topicArn`), timestamps as
 * ISO-8601, and leaves out what is too large or secret (catalog.ts; members the model marks
 * `sensitive` are hidden too). Empty results are recorded as null, as AWS does.
 */
import { loadModel, type ServiceName } from '../../../protocol/models/index.ts';
import type { Shape, ServiceModel } from '../../../protocol/models/types.ts';
import { HIDDEN, OMITTED_REQUEST_MEMBERS, OMITTED_RESPONSE_MEMBERS, SECRET_MEMBERS } from './catalog.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function requestParameters(service: ServiceName, operation: string, input: unknown): Record<string, unknown> | null {
  if (!isObject(input)) return null;
  const model = loadModel(service);
  const key = `${service}.${operation}`;
  const hide = new Set<string>();
  for (const s of SECRET_MEMBERS[key] ?? []) if (!s.when || s.when(input)) hide.add(s.path);
  const shape = model.operations[operation]?.input?.shape;
  return emptyToNull(convert(input, { model, shape, path: '', omit: new Set(OMITTED_REQUEST_MEMBERS[key] ?? []), hide }));
}

export function responseElements(service: ServiceName, operation: string, output: unknown): Record<string, unknown> | null {
  if (!isObject(output)) return null;
  const model = loadModel(service);
  const shape = model.operations[operation]?.output?.shape;
  return emptyToNull(convert(output, { model, shape, path: '', omit: new Set(OMITTED_RESPONSE_MEMBERS[`${service}.${operation}`] ?? []), hide: new Set() }));
}

interface Walk {
  model: ServiceModel;
  shape: string | undefined;
  /** Model member path so far: `A.B`, `List[].C`. */
  path: string;
  omit: ReadonlySet<string>;
  hide: ReadonlySet<string>;
}

function convert(value: unknown, w: Walk): Json {
  const shape: Shape | undefined = w.shape ? w.model.shapes[w.shape] : undefined;
  if (shape?.sensitive || w.hide.has(w.path)) return HIDDEN;
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) {
    const member = shape?.type === 'list' ? shape.member.shape : undefined;
    return value.map((v) => convert(v, { ...w, shape: member, path: `${w.path}[]` }));
  }
  if (typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      const path = w.path ? `${w.path}.${k}` : k;
      if (w.omit.has(path)) continue;
      const member = shape?.type === 'structure' ? shape.members[k]?.shape : shape?.type === 'map' ? shape.value.shape : undefined;
      out[shape?.type === 'map' ? k : lowerFirst(k)] = convert(v, { ...w, shape: member, path: shape?.type === 'map' ? `${w.path}{}` : path });
    }
    return out;
  }
  if (typeof value === 'bigint') return Number(value);
  return value as Json;
}

const lowerFirst = (k: string) => (k.length > 0 ? k[0]!.toLowerCase() + k.slice(1) : k);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function emptyToNull(v: Json): Record<string, unknown> | null {
  return v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 ? v : null;
}
