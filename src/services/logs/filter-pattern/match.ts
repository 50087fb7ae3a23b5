/**
 * Evaluating a parsed filter pattern in JS: `compileFilterPattern(p).matches(message)` at ingest
 * (metric and subscription filters, Live Tail) and as the exact check behind FilterLogEvents'
 * ClickHouse pre-filter (sql.ts). Plus what metric filters need from a matching event: the
 * extracted fields (`extract`), the published value (`metricValue`), dimension values
 * (`dimensionValue`) and per-minute aggregation (`aggregateMinutes`).
 *
 * Semantics (see parse.ts for the syntax):
 * - Terms and quoted phrases match as case-sensitive substrings of the message (AWS's own example:
 *   `ERROR` matches "Exiting with ERRORCODE: -1"). `" "` / `""` match everything.
 * - Regexes are unanchored searches (`%AUTHORIZED%` matches "UNAUTHORIZED").
 * - JSON patterns apply only to messages that are a JSON object (first non-blank character `{`
 *   and valid JSON); any other message does not match, whatever the conditions (also NOT EXISTS).
 *   A selector that points to an array or object never matches (neither `=` nor `!=`); a missing
 *   property only matches NOT EXISTS; `null` only matches IS NULL. A selector with a wildcard
 *   (`[*]` any array element, `.*` any field of an object) matches when one of the values it
 *   selects does, and NOT EXISTS when it selects none.
 * - Space-delimited patterns split the message on whitespace, with "[...]" and "\"...\"" as single
 *   fields (brackets/quotes removed). Without `...` the fields are matched in order and the last
 *   field takes the rest of the line; with `...` the fields must cover all tokens exactly.
 */
import type { FilterPattern } from './ast.ts';
import { isNumberLiteral, parseSelectorText } from './parse.ts';
import { compileRegex } from './regex-engine.ts';
import { compileDelimited } from './match-delimited.ts';
import { MISSING, compileGetOne, compileJson, parseJsonMessage, type Obj, type Resolved } from './match-json.ts';
import { compileTerms } from './match-terms.ts';
import { scalarText } from './match-values.ts';

export { parseJsonMessage, requiredJsonSubstrings } from './match-json.ts';

/** What a matching event yields for metric filters. */
export type Extraction =
  /** Terms, regex and match-all patterns extract nothing. */
  | { kind: 'text' }
  /** JSON patterns: the parsed message, for `$.field` metric values and dimensions. */
  | { kind: 'json'; json: Record<string, unknown> }
  /**
   * Space-delimited patterns: `$name` for named fields, `$N` (1-based token position) for tokens
   * matched by `...` or by an unnamed field, like the doc's `"$7": "1534"`.
   */
  | { kind: 'delimited'; fields: Record<string, string> };

export interface CompiledPattern {
  readonly pattern: FilterPattern;
  matches(message: string): boolean;
  /** The extraction for a matching message, undefined when it does not match. */
  extract(message: string): Extraction | undefined;
}

const TEXT: Extraction = Object.freeze({ kind: 'text' });

export function compileFilterPattern(p: FilterPattern): CompiledPattern {
  switch (p.kind) {
    case 'all':
      return { pattern: p, matches: () => true, extract: () => TEXT };
    case 'terms': {
      const matches = compileTerms(p);
      return { pattern: p, matches, extract: (m) => (matches(m) ? TEXT : undefined) };
    }
    case 'regex': {
      const re = compileRegex(p.regex);
      const matches = (m: string): boolean => re.test(m);
      return { pattern: p, matches, extract: (m) => (matches(m) ? TEXT : undefined) };
    }
    case 'json':
      return compileJson(p);
    case 'delimited':
      return compileDelimited(p);
  }
}

// ---------------------------------------------------------------------------------------------
// Metric filter values

/**
 * The value a metric filter publishes for a matching event, or undefined when there is none
 * (AWS publishes nothing for that event). `spec` is MetricTransformation.metricValue:
 * - a number (`"1"`, `"2.5"`): that number;
 * - `$.path`: the JSON value at that path, when it is a number or a numeric string;
 * - `$name` / `$N`: the space-delimited field of that name / position, when numeric. (`$size` in
 *   AWS's Apache example is the field named `size`, not a byte count.)
 */
export function metricValue(spec: string, message: string, ex: Extraction): number | undefined {
  const s = spec.trim();
  if (isNumberLiteral(s)) return finite(Number(s));
  const raw = referencedValue(s, message, ex);
  if (typeof raw === 'number') return finite(raw);
  if (typeof raw === 'string' && isNumberLiteral(raw)) return finite(Number(raw));
  return undefined;
}

/**
 * A dimension's value for a matching event (MetricTransformation.dimensions: `{"IP": "$ip"}`,
 * `{"EventType": "$.eventType"}`): the field's text, or undefined when the field is missing, null,
 * an array or an object. A spec that is not a `$` reference is returned as is.
 */
export function dimensionValue(spec: string, message: string, ex: Extraction): string | undefined {
  const s = spec.trim();
  if (!s.startsWith('$')) return spec;
  return scalarText(referencedValue(s, message, ex));
}

const selectorCache = new Map<string, ((root: Obj) => Resolved) | null>();

function referencedValue(s: string, message: string, ex: Extraction): unknown {
  if (s.startsWith('$.') || s.startsWith('$[')) {
    let get = selectorCache.get(s);
    if (get === undefined) {
      try {
        const sel = parseSelectorText(s);
        get = sel.steps.some((x) => x.kind === 'anyIndex' || x.kind === 'anyProp') ? null : compileGetOne(sel.steps);
      } catch {
        get = null;
      }
      if (selectorCache.size > 1000) selectorCache.clear();
      selectorCache.set(s, get);
    }
    if (get === null) return undefined;
    const root = ex.kind === 'json' ? ex.json : parseJsonMessage(message);
    if (root === undefined) return undefined;
    const v = get(root);
    return v === MISSING ? undefined : v;
  }
  if (s.startsWith('$') && ex.kind === 'delimited') return ex.fields[s];
  return undefined;
}

function finite(n: number): number | undefined {
  return Number.isFinite(n) ? n : undefined;
}

export interface MetricSpec {
  metricValue: string;
  /** MetricTransformation.defaultValue: published for events that do not match. */
  defaultValue?: number;
}

/**
 * Per-minute published value (the sum) of one metric filter over the events of each minute, or
 * null when nothing is published. Each matching event contributes its metric value; with a
 * defaultValue each non-matching event contributes the default ("the Default Value of 0 is used
 * for both log records"); a minute without events, or without any contribution, publishes nothing.
 */
export function aggregateMinutes(
  compiled: CompiledPattern,
  minutes: ReadonlyArray<{ messages: readonly string[] }>,
  metric: MetricSpec,
): (number | null)[] {
  return minutes.map(({ messages }) => {
    let sum = 0;
    let any = false;
    for (const m of messages) {
      const ex = compiled.extract(m);
      const v = ex !== undefined ? metricValue(metric.metricValue, m, ex) : metric.defaultValue;
      if (v !== undefined) {
        sum += v;
        any = true;
      }
    }
    return any ? sum : null;
  });
}
