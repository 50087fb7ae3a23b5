/**
 * Firehose's S3 prefixes ("Custom prefixes for Amazon S3 objects"): `!{timestamp:<pattern>}`,
 * `!{firehose:random-string}`, `!{firehose:error-output-type}` and, with dynamic partitioning,
 * `!{partitionKeyFromQuery:<key>}`, plus the documented semantic rules (the default time prefix,
 * ErrorOutputPrefix requirements). Compiled once at create/update time; evaluated per object.
 */
import { randomUUID } from 'node:crypto';
import { compileDatePattern, DateFormatError, formatDate, type DateFields } from './date-format.ts';

export class PrefixError extends Error {}

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'timestamp'; parts: ReturnType<typeof compileDatePattern> }
  | { kind: 'random' }
  | { kind: 'errorType' }
  | { kind: 'partitionKey'; key: string };

export type CompiledPrefix = Segment[];

export interface CompiledPrefixes {
  prefix: CompiledPrefix;
  errorPrefix: CompiledPrefix;
  /** The `partitionKeyFromQuery` keys the prefix names. */
  partitionKeys: string[];
}

const DEFAULT_TIME = 'yyyy/MM/dd/HH/';
/** Evaluated prefixes longer than this are refused at delivery (AWS's limit). */
export const MAX_EVALUATED_PREFIX = 512;

export function parsePrefix(text: string, field: string): CompiledPrefix {
  const out: Segment[] = [];
  let literal = '';
  for (let i = 0; i < text.length;) {
    if (!text.startsWith('!{', i)) {
      literal += text[i];
      i++;
      continue;
    }
    const end = text.indexOf('}', i);
    const m = end === -1 ? null : /^!\{([A-Za-z]+):(.*)\}$/s.exec(text.slice(i, end + 1));
    if (!m) throw new PrefixError(`${field} contains "!{" outside a !{namespace:value} expression at position ${i}.`);
    if (literal) out.push({ kind: 'literal', text: literal });
    literal = '';
    out.push(expression(m[1]!, m[2]!, field));
    i = end + 1;
  }
  if (literal) out.push({ kind: 'literal', text: literal });
  return out;
}

function expression(namespace: string, value: string, field: string): Segment {
  switch (namespace) {
    case 'timestamp':
      try {
        return { kind: 'timestamp', parts: compileDatePattern(value) };
      } catch (e) {
        if (e instanceof DateFormatError) throw new PrefixError(`${field}: ${e.message}.`);
        throw e;
      }
    case 'firehose':
      if (value === 'random-string') return { kind: 'random' };
      if (value === 'error-output-type') return { kind: 'errorType' };
      throw new PrefixError(`${field}: unknown firehose namespace value "${value}" (use random-string or error-output-type).`);
    case 'partitionKeyFromQuery':
      if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new PrefixError(`${field}: invalid partition key name "${value}".`);
      return { kind: 'partitionKey', key: value };
    case 'partitionKeyFromLambda':
      throw new PrefixError(`${field}: partitionKeyFromLambda needs a Lambda processor, which Osprey does not run; extract keys with the MetadataExtraction processor and !{partitionKeyFromQuery:<key>}.`);
    default:
      throw new PrefixError(`${field}: unknown namespace "${namespace}" (use timestamp, firehose or partitionKeyFromQuery).`);
  }
}

const has = (p: CompiledPrefix, kind: Segment['kind']) => p.some((s) => s.kind === kind);
const hasExpressions = (p: CompiledPrefix) => p.some((s) => s.kind !== 'literal');
const timeSuffix = (): Segment => ({ kind: 'timestamp', parts: compileDatePattern(DEFAULT_TIME) });

/** Applies the documented semantic rules; throws PrefixError with a message fit for InvalidArgumentException. */
export function compilePrefixes(opts: { prefix?: string; errorOutputPrefix?: string; dynamicPartitioning: boolean }): CompiledPrefixes {
  const prefix = parsePrefix(opts.prefix ?? '', 'Prefix');
  const errorGiven = opts.errorOutputPrefix !== undefined && opts.errorOutputPrefix !== '';
  const error = parsePrefix(opts.errorOutputPrefix ?? '', 'ErrorOutputPrefix');
  if (has(prefix, 'errorType')) throw new PrefixError('Prefix cannot contain !{firehose:error-output-type}; use it in ErrorOutputPrefix.');
  if (has(error, 'partitionKey')) throw new PrefixError('ErrorOutputPrefix cannot contain partitionKeyFromQuery expressions.');
  const partitionKeys = [...new Set(prefix.flatMap((s) => (s.kind === 'partitionKey' ? [s.key] : [])))];
  if (partitionKeys.length > 0 && !opts.dynamicPartitioning) {
    throw new PrefixError('Prefix uses partitionKeyFromQuery, which requires DynamicPartitioningConfiguration with Enabled set to true.');
  }
  if (opts.dynamicPartitioning) {
    if (!opts.prefix) throw new PrefixError('Prefix must be specified when dynamic partitioning is enabled.');
    if (!errorGiven) throw new PrefixError('ErrorOutputPrefix must be specified when dynamic partitioning is enabled.');
  }
  if (hasExpressions(prefix) && !errorGiven) {
    throw new PrefixError('ErrorOutputPrefix cannot be null or empty when Prefix contains expressions.');
  }
  if (errorGiven && hasExpressions(error) && !has(error, 'errorType')) {
    throw new PrefixError('ErrorOutputPrefix must contain !{firehose:error-output-type} when it contains expressions.');
  }
  const fullPrefix = has(prefix, 'timestamp') || opts.dynamicPartitioning ? prefix : [...prefix, timeSuffix()];
  let errorPrefix: CompiledPrefix;
  if (!errorGiven) errorPrefix = [...prefix, { kind: 'errorType' }, { kind: 'literal', text: '/' }, timeSuffix()];
  else errorPrefix = has(error, 'timestamp') ? error : [...error, timeSuffix()];
  return { prefix: fullPrefix, errorPrefix, partitionKeys };
}

export interface PrefixValues {
  time: DateFields;
  errorType?: string;
  partitionKeys?: Record<string, string>;
  random?: () => string;
}

/** 11 characters, like AWS's examples (`046b6c7f-0b`). */
const randomString = () => randomUUID().slice(0, 11);

export function evaluatePrefix(p: CompiledPrefix, v: PrefixValues): string {
  return p.map((s) => {
    switch (s.kind) {
      case 'literal': return s.text;
      case 'timestamp': return formatDate(s.parts, v.time);
      case 'random': return (v.random ?? randomString)();
      case 'errorType': return v.errorType ?? 'processing-failed';
      default: return v.partitionKeys?.[s.key] ?? '';
    }
  }).join('');
}
