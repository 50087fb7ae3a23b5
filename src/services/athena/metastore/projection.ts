/**
 * Partition projection (TBLPROPERTIES 'projection.enabled'='true'): partitions are not registered
 * but computed from the configuration — Athena's `enum`, `integer`, `date` and `injected` types and
 * 'storage.location.template' (default: the Hive layout `<location>key=${key}/…`). Osprey does
 * not enumerate the projected values: it matches every object's path against the template (a
 * regular expression with one group per key), takes the keys' values from it, and keeps only
 * values inside the projection (enum values, integer range, date range in its format, NOW-relative
 * bounds included). Predicates on the keys then prune files before they are read.
 */
import { stringLiteral } from '../../../store/telemetry/sql-literal.ts';
import type { ColumnDef } from '../ddl/statements.ts';
import { AthenaSqlError } from '../sql/errors.ts';
import { parseS3Location, type S3Location } from './locations.ts';

export interface Projection {
  /** The folder every projected location is under. */
  base: S3Location;
  /** The key template after `base` (no leading or trailing slash), with `${key}` placeholders. */
  template: string;
  /** Per partition key: the regex of its placeholder and a condition on its text `v`. */
  keys: Map<string, { regex: string; condition?: (v: string) => string }>;
}

const bad = (message: string): never => {
  throw new AthenaSqlError('SYNTAX_ERROR', message);
};

export const escapeRegex = (s: string): string => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');

/** A Java DateTimeFormatter pattern (yyyy/MM/dd, yyyy-MM-dd-HH…) as a regular expression. */
function dateRegex(format: string): string {
  let out = '';
  for (const m of format.matchAll(/'([^']*)'|([A-Za-z])\2*|./g)) {
    if (m[1] !== undefined) out += escapeRegex(m[1]);
    else if (m[2] !== undefined) out += m[0] === 'yyyy' || m[0] === 'uuuu' ? '\\d{4}' : m[0].length === 1 ? '\\d{1,2}' : `\\d{${m[0].length}}`;
    else out += escapeRegex(m[0]);
  }
  return out;
}

const UNITS: Record<string, string> = { YEARS: 'YEAR', MONTHS: 'MONTH', WEEKS: 'WEEK', DAYS: 'DAY', HOURS: 'HOUR', MINUTES: 'MINUTE', SECONDS: 'SECOND' };

/** A date range bound: NOW, NOW±N UNIT(S), or a date written in the projection's format. */
function dateBound(text: string, format: string): string {
  const rel = /^NOW(?:\s*([+-])\s*(\d+)\s*(YEAR|MONTH|WEEK|DAY|HOUR|MINUTE|SECOND)S?)?$/i.exec(text.trim());
  if (rel) {
    if (!rel[1]) return 'now()';
    return `now() ${rel[1]} INTERVAL ${Number(rel[2])} ${UNITS[`${rel[3]!.toUpperCase()}S`]}`;
  }
  return `parseDateTimeInJodaSyntax(${stringLiteral(text.trim())}, ${stringLiteral(format)}, 'UTC')`;
}

function keyProjection(key: string, props: Record<string, string>): { regex: string; condition?: (v: string) => string } {
  const p = (name: string) => props[`projection.${key}.${name}`];
  const type = p('type')?.toLowerCase();
  switch (type) {
    case 'enum': {
      const values = (p('values') ?? bad(`projection.${key}.values is required for an enum projection`)).split(',').map((v) => v.trim());
      return { regex: '[^/]+', condition: (v) => `${v} IN (${values.map(stringLiteral).join(', ')})` };
    }
    case 'integer': {
      const range = (p('range') ?? bad(`projection.${key}.range is required for an integer projection`)).split(',').map((v) => Number(v.trim()));
      if (range.length !== 2 || range.some((n) => !Number.isSafeInteger(n))) bad(`projection.${key}.range must be 'min,max' integers`);
      return { regex: '-?\\d+', condition: (v) => `toInt64OrNull(${v}) BETWEEN ${range[0]} AND ${range[1]}` };
    }
    case 'date': {
      const format = p('format') ?? bad(`projection.${key}.format is required for a date projection`);
      const range = (p('range') ?? bad(`projection.${key}.range is required for a date projection`)).split(',');
      if (range.length !== 2) bad(`projection.${key}.range must be 'start,end'`);
      const [lo, hi] = range.map((b) => dateBound(b, format));
      return { regex: dateRegex(format), condition: (v) => `parseDateTimeInJodaSyntaxOrNull(${v}, ${stringLiteral(format)}, 'UTC') BETWEEN ${lo} AND ${hi}` };
    }
    case 'injected': return { regex: '[^/]+' };
    default: return bad(`projection.${key}.type must be one of enum, integer, date, injected${type ? ` (got '${type}')` : ''}`);
  }
}

/** The table's projection, or undefined when projection is not enabled. Throws on an invalid configuration. */
export function projectionOf(location: string | undefined, partitionKeys: ColumnDef[], props: Record<string, string>): Projection | undefined {
  if (props['projection.enabled']?.toLowerCase() !== 'true' || partitionKeys.length === 0) return undefined;
  const template = props['storage.location.template']
    ?? `${location ?? bad('LOCATION is required')}${location!.endsWith('/') ? '' : '/'}${partitionKeys.map((k) => `${k.name}=\${${k.name}}`).join('/')}/`;
  const first = template.indexOf('${');
  if (first === -1) bad("storage.location.template must contain the partition keys as ${key}");
  const cut = template.lastIndexOf('/', first);
  const base = parseS3Location(template.slice(0, cut + 1));
  const rest = template.slice(cut + 1).replace(/\/+$/, '');
  const named = [...rest.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]!.toLowerCase());
  for (const k of partitionKeys) if (!named.includes(k.name)) bad(`storage.location.template does not contain \${${k.name}}`);
  for (const n of named) if (!partitionKeys.some((k) => k.name === n)) bad(`storage.location.template names \${${n}}, which is not a partition key`);
  return { base, template: rest, keys: new Map(partitionKeys.map((k) => [k.name, keyProjection(k.name, props)])) };
}

/** The template as a regex over paths after `base`: one group per placeholder, in template order. */
export function templateRegex(p: Projection): { regex: string; order: string[] } {
  const order: string[] = [];
  let regex = '';
  let last = 0;
  for (const m of p.template.matchAll(/\$\{([^}]+)\}/g)) {
    regex += escapeRegex(p.template.slice(last, m.index));
    const key = m[1]!.toLowerCase();
    order.push(key);
    regex += `(${p.keys.get(key)!.regex})`;
    last = m.index! + m[0].length;
  }
  return { regex: `${regex}${escapeRegex(p.template.slice(last))}/`, order };
}
