/**
 * ProcessingConfiguration's built-in processors, applied to each record before buffering:
 * Decompression (GZIP, as CloudWatch Logs subscription records arrive), CloudWatchLogProcessing
 * (DataMessageExtraction: one record per log event message, control messages dropped),
 * RecordDeAggregation (JSON or delimited sub-records), MetadataExtraction (jq partition keys) and
 * AppendDelimiterToRecord. Lambda processors are refused at create time. Pure: tested alone.
 */
import { gunzipSync } from 'node:zlib';
import type { ProcessingConfiguration } from '@aws-sdk/client-firehose';
import { JqError, extractKeys, parseMetadataQuery, type MetadataQuery } from './jq.ts';

export class ProcessorConfigError extends Error {}

export interface Pipeline {
  decompress: boolean;
  cloudWatchLogs: boolean;
  deaggregate?: { kind: 'JSON' } | { kind: 'DELIMITED'; delimiter: Buffer };
  metadata?: MetadataQuery;
  appendDelimiter?: Buffer;
}

/** One output record of a source record. */
export interface Piece {
  data: Buffer;
  keys?: Record<string, string>;
}

export type Processed = { ok: true; pieces: Piece[] } | { ok: false; errorCode: string; errorMessage: string };

const SUPPORTED = 'Osprey runs AppendDelimiterToRecord, Decompression (GZIP), CloudWatchLogProcessing, RecordDeAggregation and MetadataExtraction (JQ-1.6)';

function params(p: { Parameters?: { ParameterName?: string; ParameterValue?: string }[] }): Map<string, string> {
  return new Map((p.Parameters ?? []).map((x) => [x.ParameterName ?? '', x.ParameterValue ?? '']));
}

export function compilePipeline(cfg: ProcessingConfiguration | undefined, dynamicPartitioning: boolean): Pipeline {
  const out: Pipeline = { decompress: false, cloudWatchLogs: false };
  if (!cfg?.Enabled) return out;
  for (const proc of cfg.Processors ?? []) {
    const p = params(proc);
    switch (proc.Type) {
      case 'Decompression': {
        const f = p.get('CompressionFormat') ?? 'GZIP';
        if (f !== 'GZIP') throw new ProcessorConfigError(`Decompression CompressionFormat ${f} is not supported; use GZIP.`);
        out.decompress = true;
        break;
      }
      case 'CloudWatchLogProcessing':
        out.cloudWatchLogs = (p.get('DataMessageExtraction') ?? 'false').toLowerCase() === 'true';
        break;
      case 'RecordDeAggregation': {
        const kind = p.get('SubRecordType') ?? 'JSON';
        if (kind === 'JSON') out.deaggregate = { kind: 'JSON' };
        else if (kind === 'DELIMITED') {
          const delimiter = Buffer.from(p.get('Delimiter') ?? '', 'base64');
          if (delimiter.length === 0) throw new ProcessorConfigError('RecordDeAggregation with SubRecordType DELIMITED needs a base64-encoded Delimiter.');
          out.deaggregate = { kind: 'DELIMITED', delimiter };
        } else throw new ProcessorConfigError(`RecordDeAggregation SubRecordType ${kind} is not supported; use JSON or DELIMITED.`);
        break;
      }
      case 'MetadataExtraction': {
        const engine = p.get('JsonParsingEngine') ?? 'JQ-1.6';
        if (engine !== 'JQ-1.6') throw new ProcessorConfigError(`MetadataExtraction JsonParsingEngine ${engine} is not supported; use JQ-1.6.`);
        const query = p.get('MetadataExtractionQuery');
        if (!query) throw new ProcessorConfigError('MetadataExtraction needs a MetadataExtractionQuery.');
        if (!dynamicPartitioning) throw new ProcessorConfigError('MetadataExtraction processor requires dynamic partitioning to be enabled.');
        try {
          out.metadata = parseMetadataQuery(query);
        } catch (e) {
          if (e instanceof JqError) throw new ProcessorConfigError(`MetadataExtractionQuery: ${e.message}`);
          throw e;
        }
        break;
      }
      case 'AppendDelimiterToRecord': {
        const d = p.get('Delimiter');
        out.appendDelimiter = d ? Buffer.from(d, 'base64') : Buffer.from('\n');
        break;
      }
      case 'Lambda':
        throw new ProcessorConfigError(`Lambda processors are not supported by Osprey. ${SUPPORTED}.`);
      default:
        throw new ProcessorConfigError(`Processor type ${String(proc.Type)} is not supported. ${SUPPORTED}.`);
    }
  }
  return out;
}

/** Splits concatenated JSON documents (`{"a":1}{"b":2}` or one per line) at their top-level ends. */
function splitJson(data: Buffer): Buffer[] {
  const s = data.toString('utf8');
  const out: Buffer[] = [];
  let depth = 0, start = -1, inString = false, escape = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (inString) {
      if (escape) escape = false;
      else if (c === '\\') escape = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0 && start >= 0) out.push(Buffer.from(s.slice(start, i + 1)));
    }
  }
  if (depth !== 0) throw new Error('unterminated JSON sub-record');
  return out;
}

function splitDelimited(data: Buffer, delimiter: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (let i = data.indexOf(delimiter); i !== -1; i = data.indexOf(delimiter, at)) {
    out.push(data.subarray(at, i));
    at = i + delimiter.length;
  }
  if (at < data.length) out.push(data.subarray(at));
  return out;
}

interface LogsMessage {
  messageType?: string;
  logEvents?: { message?: string }[];
}

function stage(code: string, fn: () => Buffer[]): Buffer[] | { errorCode: string; errorMessage: string } {
  try {
    return fn();
  } catch (e) {
    return { errorCode: code, errorMessage: (e as Error).message };
  }
}

export function processRecord(p: Pipeline, data: Buffer): Processed {
  let parts: Buffer[] = [data];
  const steps: [boolean, string, (b: Buffer) => Buffer[]][] = [
    [p.decompress, 'Decompression.Failed', (b) => [gunzipSync(b)]],
    [p.cloudWatchLogs, 'CloudWatchLogProcessing.Failed', (b) => {
      const m = JSON.parse(b.toString('utf8')) as LogsMessage;
      return m.messageType === 'DATA_MESSAGE' ? (m.logEvents ?? []).map((e) => Buffer.from(e.message ?? '')) : [];
    }],
    [p.deaggregate !== undefined, 'RecordDeAggregation.Failed', (b) => (p.deaggregate!.kind === 'JSON' ? splitJson(b) : splitDelimited(b, (p.deaggregate as { delimiter: Buffer }).delimiter))],
  ];
  for (const [on, code, fn] of steps) {
    if (!on) continue;
    const next = stage(code, () => parts.flatMap(fn));
    if (!Array.isArray(next)) return { ok: false, ...next };
    parts = next;
  }
  const pieces: Piece[] = [];
  for (const part of parts) {
    let keys: Record<string, string> | undefined;
    if (p.metadata) {
      try {
        keys = extractKeys(p.metadata, part.toString('utf8'));
      } catch (e) {
        return { ok: false, errorCode: 'DynamicPartitioning.MetadataExtractionFailed', errorMessage: (e as Error).message };
      }
    }
    pieces.push({ data: p.appendDelimiter ? Buffer.concat([part, p.appendDelimiter]) : part, ...(keys ? { keys } : {}) });
  }
  return { ok: true, pieces };
}
