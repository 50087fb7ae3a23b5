/**
 * Typed AST of a CloudWatch Logs filter pattern: the one language shared by FilterLogEvents,
 * metric filters, subscription filters and Live Tail. `parse.ts` builds it, `match.ts` evaluates it
 * in JS, `sql.ts` compiles it to a ClickHouse WHERE fragment.
 *
 * Four families, chosen by the first character of the (trimmed) pattern:
 *   `{`  JSON         `{ $.a = "x" && ($.b > 5 || $.c IS NULL) }`, `{ $.* = %^10\.% }`, `{ $.['k.8s'] = c }`
 *   `[`  delimited    `[ip, user, ..., status = 4* || status = 5*, bytes > 1000]`
 *   `%`  regex        `%^ERROR [0-9]+%`
 *   else terms        `ERROR -DEBUG "exact phrase" ?optional`
 */

/** A whole filter pattern. */
export type FilterPattern = MatchAllPattern | TermsPattern | RegexPatternNode | JsonPattern | DelimitedPattern;

/** `""`, `" "` or an empty / blank pattern: every event matches. */
export interface MatchAllPattern {
  kind: 'all';
  source: string;
}

/**
 * Unstructured terms. A term matches when its text occurs in the message (case-sensitive substring).
 * `include` terms must all occur and `exclude` terms must not occur. `optional` (`?term`) terms
 * form one OR group that is only used when there are no include/exclude terms: AWS documents that
 * "if you combine ? with other filter patterns, all question mark terms will be ignored".
 */
export interface TermsPattern {
  kind: 'terms';
  source: string;
  include: Term[];
  exclude: Term[];
  optional: Term[];
}

export interface Term {
  /** The text searched for (unescaped). An empty or blank quoted phrase (`""`, `" "`) matches everything. */
  text: string;
  quoted: boolean;
  /** 0-based offset in the pattern source, for messages. */
  pos: number;
}

/** A standalone regex pattern `%…%`. */
export interface RegexPatternNode {
  kind: 'regex';
  source: string;
  regex: Regex;
}

/**
 * A regular expression in AWS's supported subset (no groups, ASCII only, a fixed set of symbols,
 * `\d \D \s \S \w \W` classes, `\xhh` for any ASCII character). It is validated and translated
 * once, to one JS and one RE2 source that define the same language (every construct is spelled out
 * explicitly rather than relying on either engine's defaults for `.`, `\s`, …).
 */
export interface Regex {
  /** Text between the `%` delimiters, as written. */
  source: string;
  /** Equivalent JS source, compiled without flags; matches code points like RE2 in UTF-8 mode (pairs spelled out). */
  js: string;
  /** Equivalent RE2 source for ClickHouse `match()`. */
  re2: string;
  /** True when the regex uses `^` or `$`, so a match inside a substring does not imply a match on the whole text. */
  anchored: boolean;
}

// ---------------------------------------------------------------------------------------------
// JSON patterns

export interface JsonPattern {
  kind: 'json';
  source: string;
  expr: JsonExpr;
}

export type JsonExpr = JsonAnd | JsonOr | JsonCondition;

export interface JsonAnd {
  kind: 'and';
  items: JsonExpr[];
}

export interface JsonOr {
  kind: 'or';
  items: JsonExpr[];
}

/**
 * One path step: a property name (`.name`, or `['any.name']` in bracket notation), an array index,
 * `[*]` (any element of an array) or `.*` (any field of an object).
 */
export type PathStep =
  | { kind: 'prop'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'anyIndex' }
  | { kind: 'anyProp' };

export interface JsonSelector {
  /** As written, e.g. `$.users[0].email`, `$.*`, `$.['cluster.name']`. */
  text: string;
  steps: PathStep[];
}

export type JsonCondition =
  | { kind: 'compare'; selector: JsonSelector; op: CompareOp; value: Value; pos: number }
  | { kind: 'is'; selector: JsonSelector; what: 'null' | 'true' | 'false'; pos: number }
  | { kind: 'notExists'; selector: JsonSelector; pos: number };

// ---------------------------------------------------------------------------------------------
// Values on the right-hand side of a comparison (JSON and delimited patterns)

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * - `number`: an unquoted numeric literal (`400`, `-1.5`, `1e+3`). With `=`/`!=` it compares
 *   numerically with numbers and textually (`text`) with anything else.
 * - `string`: a quoted or unquoted string. A leading and/or trailing `*` is a wildcard
 *   (`*Event`, `Event*`, `*html*`, `*`); an inner `*` is a literal character (AWS: "Ev*ent will only
 *   match the actual string Ev*ent").
 * - `regex`: `%…%`, searched (unanchored) in the value's text.
 */
export type Value =
  | { kind: 'number'; value: number; text: string }
  | { kind: 'string'; glob: Glob; quoted: boolean; text: string }
  | { kind: 'regex'; regex: Regex };

/** A string with optional leading/trailing `*`: `any` (just `*`), `exact`, `prefix`, `suffix`, `contains`. */
export interface Glob {
  mode: 'any' | 'exact' | 'prefix' | 'suffix' | 'contains';
  /** The literal part (wildcards removed). */
  core: string;
}

// ---------------------------------------------------------------------------------------------
// Space-delimited patterns

export interface DelimitedPattern {
  kind: 'delimited';
  source: string;
  fields: DelimitedField[];
  /** True when at least one field is `...`. */
  hasEllipsis: boolean;
}

export type DelimitedField =
  | { kind: 'ellipsis'; pos: number }
  /** `name` or `name <conditions>`; `name` is null for an empty field (`[a, , b]`, `[a, b,]`). */
  | { kind: 'field'; name: string | null; cond: FieldExpr | null; pos: number };

export type FieldExpr =
  | { kind: 'and'; items: FieldExpr[] }
  | { kind: 'or'; items: FieldExpr[] }
  | { kind: 'compare'; op: CompareOp; value: Value; pos: number };
