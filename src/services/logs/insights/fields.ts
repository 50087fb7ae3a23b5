/**
 * Field references → SQL: names bound by earlier commands, paths into jsonParse() maps, and the
 * fields Insights discovers in the event itself (JSON keys, Lambda's REPORT/START/END values).
 */
import type { FieldRef, PathSegment } from './ast.ts';
import type { SqlContext } from './context.ts';
import { fieldName } from './parse.ts';
import type { Scope, Stage } from './stage.ts';
import { NULL_TEXT, type Val } from './values.ts';

/** Lambda's discovered fields (REPORT/START/END lines): name → [regex with one group, numeric scale]. */
const LAMBDA_FIELDS: Record<string, [string, number | undefined]> = {
  '@type': ['^(START|END|REPORT|INIT_START|INIT_REPORT) ', undefined],
  '@requestId': ['^(?:START|END|REPORT) RequestId: ([0-9A-Za-z-]+)', undefined],
  '@duration': ['^REPORT .*?\\tDuration: ([0-9.]+) ms', 1],
  '@billedDuration': ['^REPORT .*?Billed Duration: ([0-9.]+) ms', 1],
  '@memorySize': ['^REPORT .*?Memory Size: ([0-9]+) MB', 1_000_000],
  '@maxMemoryUsed': ['^REPORT .*?Max Memory Used: ([0-9]+) MB', 1_000_000],
  '@initDuration': ['^REPORT .*?Init Duration: ([0-9.]+) ms', 1],
  '@xrayTraceId': ['^REPORT .*?XRAY TraceId: ([^\\t]+)', undefined],
  '@xraySegmentId': ['^REPORT .*?SegmentId: ([^\\t]+)', undefined],
};

export function compileField(cx: SqlContext, e: FieldRef, scope: Scope): Val {
  const { stage } = scope;
  if (scope.level === 'group') {
    const agg = scope.aggregates?.get(e.name);
    if (agg !== undefined) return agg;
    cx.fail(`${e.name} must be inside an aggregation function (or listed after by)`, e);
  }
  const bound = stage.bindings.get(e.name);
  if (bound !== undefined) return bound;
  // AWS's own parse example extracts (?<user2>…) and then groups `by @user2`: an @-name that is
  // not a system field falls back to the field defined without the @.
  if (e.segments.length === 1 && /^@[^@]/.test(e.name) && !(e.name in LAMBDA_FIELDS)) {
    const plain = stage.bindings.get(e.name.slice(1));
    if (plain !== undefined) return plain;
  }
  // `json_message.status_code` where json_message is a jsonParse() map.
  for (let i = e.segments.length - 1; i >= 1; i--) {
    const prefix = stage.bindings.get(fieldName(e.segments.slice(0, i)));
    if (prefix?.type === 'json') return { sql: jsonPath(cx, `ifNull(${prefix.sql}, '')`, e.segments.slice(i)), type: 'text' };
  }
  if (!stage.open) {
    cx.fail(`field ${e.name} is not available here: after stats, only the fields that stats defines can be used`, e);
  }
  return discovered(cx, e);
}

/** A name from plan.ts's output list, resolved like a field reference. */
export function resolveName(cx: SqlContext, stage: Stage, name: string): Val {
  const v = stage.bindings.get(name);
  if (v !== undefined) return v;
  const segments: PathSegment[] = name.split('.').map((s) => ({ kind: 'name', name: s, quoted: false }));
  return compileField(cx, { kind: 'field', name, segments, start: 0, end: cx.text.length }, { stage, level: 'row' });
}

/** Whether a field reference reads a JSON value straight from @message. */
export function isDiscoveredJson(f: FieldRef, stage: Stage): boolean {
  if (f.name.startsWith('@') && !f.name.startsWith('@@')) return false;
  for (let i = f.segments.length; i >= 1; i--) {
    if (stage.bindings.has(fieldName(f.segments.slice(0, i)))) return false;
  }
  return true;
}

/**
 * A field Insights discovers in the event: JSON keys flattened with dots ("nested JSON fields
 * using the dot notation", arrays as `items.0.instanceId`), and Lambda's @-fields. A JSON key
 * that itself starts with @ is named with an extra @ (`@@example.com`).
 */
function discovered(cx: SqlContext, e: FieldRef): Val {
  const first = e.segments[0]!;
  let segments = e.segments;
  if (first.kind === 'name' && first.name.startsWith('@')) {
    if (first.name.startsWith('@@')) {
      segments = [{ ...first, name: first.name.slice(1) }, ...e.segments.slice(1)];
    } else {
      const lambda = e.segments.length === 1 ? LAMBDA_FIELDS[first.name] : undefined;
      if (lambda === undefined) return { sql: NULL_TEXT, type: 'text' };
      const [re, scale] = lambda;
      const x = `extract(message, ${cx.str(re)})`;
      return scale === undefined
        ? { sql: `nullIf(${x}, '')`, type: 'text' }
        : { sql: `(toFloat64OrNull(${x}) * ${scale})`, type: 'num' };
    }
  }
  const direct = jsonPath(cx, 'message', segments);
  if (!cx.lambda) return { sql: direct, type: 'text' };
  // "CloudWatch Logs Insights automatically discovers log fields in Lambda logs, but only for the
  // first embedded JSON fragment in each log event" (`<time>\t<request id>\tINFO\t{…}`).
  const at = "position(message, '\\t{')";
  const embedded = jsonPath(cx, `substring(message, ${at} + 1)`, segments);
  return {
    sql: `coalesce(${direct}, if(startsWith(log_group, '/aws/lambda/') AND NOT startsWith(message, '{') AND ${at} > 0, ${embedded}, NULL))`,
    type: 'text',
  };
}

/**
 * JSONExtract along a path. Unquoted dots are nesting; a backquoted segment containing dots is
 * first tried as one key (`` `user.id` `` for {"user.id": …}), then as a nested path.
 */
function jsonPath(cx: SqlContext, json: string, segments: readonly PathSegment[]): string {
  let paths: string[][] = [[]];
  for (const s of segments) {
    if (s.kind === 'index') {
      paths = paths.map((p) => [...p, String(s.index + 1)]);
    } else if (/^\d+$/.test(s.name) && !s.quoted) {
      // `items.0.instanceId`: a list position ("JSON arrays are flattened into a list of field names").
      paths = paths.map((p) => [...p, String(Number(s.name) + 1)]);
    } else if (s.quoted && s.name.includes('.') && paths.length < 4) {
      const whole = cx.str(s.name);
      const parts = s.name.split('.').map((x) => cx.str(x));
      paths = paths.flatMap((p) => [[...p, whole], [...p, ...parts]]);
    } else {
      const k = cx.str(s.name);
      paths = paths.map((p) => [...p, k]);
    }
  }
  const one = (p: string[]): string => `JSONExtract(${json}, ${p.join(', ')}, 'Nullable(String)')`;
  return paths.length === 1 ? one(paths[0]!) : `coalesce(${paths.map(one).join(', ')})`;
}
