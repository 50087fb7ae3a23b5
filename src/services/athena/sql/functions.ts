/**
 * Scalar functions: Trino name → ClickHouse, with Trino's semantics (1-based positions, NULL where
 * Trino returns NULL, whole-match regexp groups…). Date/time and JSON/URL functions have their own
 * tables; a name found in none is Trino's FUNCTION_NOT_FOUND — ClickHouse functions such as file(),
 * url() or remote() are never reachable, because names are only ever looked up here.
 */
import { arity, compiledArgs, type Call, type FunctionCompiler } from './call.ts';
import { DATETIME_FUNCTIONS } from './datetime.ts';
import { fail } from './errors.ts';
import { JSON_URL_FUNCTIONS } from './json-url.ts';
import { regexpExtract } from './regexp-extract.ts';
import { str } from './sql-text.ts';
import { commonType, elementType, isArray, isInteger, isMap, mapTypes, type Typed } from './types.ts';

/** f(args…) → fn(args…) with a fixed result type (or the first argument's). */
const simple = (fn: string, type: string | ((args: Typed[]) => string), min: number, max = min): FunctionCompiler => (call) => {
  arity(call, min, max);
  const args = compiledArgs(call);
  return { sql: `${fn}(${args.map((a) => a.sql).join(', ')})`, type: typeof type === 'string' ? type : type(args) };
};
const first = (args: Typed[]) => args[0]!.type;
const common = (args: Typed[]) => commonType(args.map((a) => a.type));
const nullable = (a: string) => `arrayMap(e__ -> toNullable(e__), ${a})`;

/** regexp_replace's replacement: Trino's `$1` group references are ClickHouse's `\1`. */
function replacement(call: Call, text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) out += text[++i] === '\\' ? '\\\\' : text[i];
    else if (c === '$' && /\d/.test(text[i + 1] ?? '')) out += `\\${text[++i]}`;
    else if (c === '$') fail('NOT_SUPPORTED', call.args[2], 'regexp_replace() named group references are not supported');
    else out += c;
  }
  return out;
}

const STRINGS: Record<string, FunctionCompiler> = {
  length: simple('lengthUTF8', 'bigint', 1),
  lower: simple('lowerUTF8', 'varchar', 1),
  upper: simple('upperUTF8', 'varchar', 1),
  trim: (call) => { arity(call, 1); return { sql: `replaceRegexpAll(${call.ex.compile(call.args[0]).sql}, ${str('^\\s+|\\s+$')}, '')`, type: 'varchar' }; },
  ltrim: (call) => { arity(call, 1); return { sql: `replaceRegexpOne(${call.ex.compile(call.args[0]).sql}, ${str('^\\s+')}, '')`, type: 'varchar' }; },
  rtrim: (call) => { arity(call, 1); return { sql: `replaceRegexpOne(${call.ex.compile(call.args[0]).sql}, ${str('\\s+$')}, '')`, type: 'varchar' }; },
  substr: simple('substringUTF8', 'varchar', 2, 3),
  substring: simple('substringUTF8', 'varchar', 2, 3),
  replace: (call) => {
    arity(call, 2, 3);
    const [s, from, to] = compiledArgs(call);
    return { sql: `replaceAll(${s!.sql}, ${from!.sql}, ${to?.sql ?? "''"})`, type: 'varchar' };
  },
  strpos: simple('positionUTF8', 'bigint', 2),
  split: (call) => {
    arity(call, 2);
    const [s, d] = compiledArgs(call);
    return { sql: `splitByString(${d!.sql}, ${s!.sql})`, type: 'array(varchar)' };
  },
  split_part: (call) => {
    arity(call, 3);
    const [s, d, i] = compiledArgs(call);
    return { sql: `arrayElement(${nullable(`splitByString(${d!.sql}, ${s!.sql})`)}, ${i!.sql})`, type: 'varchar' };
  },
  lpad: simple('leftPadUTF8', 'varchar', 3),
  rpad: simple('rightPadUTF8', 'varchar', 3),
  starts_with: simple('startsWith', 'boolean', 2),
  concat_ws: simple('concatWithSeparator', 'varchar', 2, 254),
  regexp_like: simple('match', 'boolean', 2),
  regexp_split: (call) => {
    arity(call, 2);
    const [s, re] = compiledArgs(call);
    return { sql: `splitByRegexp(${re!.sql}, ${s!.sql})`, type: 'array(varchar)' };
  },
  regexp_extract: regexpExtract,
  regexp_replace: (call) => {
    arity(call, 2, 3);
    const [s, re] = compiledArgs(call).slice(0, 2);
    const repl = call.args.length > 2 ? str(replacement(call, call.ex.literal(call.args[2], call.name))) : "''";
    return { sql: `replaceRegexpAll(${s!.sql}, ${re!.sql}, ${repl})`, type: 'varchar' };
  },
};

const arrayOrString = (arrayFn: string, stringFn: string): FunctionCompiler => (call) => {
  const args = compiledArgs(call);
  const arr = args.some((a) => isArray(a.type));
  return { sql: `${arr ? arrayFn : stringFn}(${args.map((a) => a.sql).join(', ')})`, type: arr ? args.find((a) => isArray(a.type))!.type : 'varchar' };
};

const emptyNull = (fn: string): FunctionCompiler => (call) => {
  arity(call, 1);
  const [a] = compiledArgs(call);
  return { sql: `if(empty(${a!.sql}), NULL, ${fn}(${a!.sql}))`, type: elementType(a!.type) };
};

const COLLECTIONS: Record<string, FunctionCompiler> = {
  concat: (call) => { if (call.args.length < 1) arity(call, 1, 254); return arrayOrString('arrayConcat', 'concat')(call); },
  reverse: (call) => { arity(call, 1); return arrayOrString('arrayReverse', 'reverseUTF8')(call); },
  cardinality: simple('length', 'bigint', 1),
  contains: simple('has', 'boolean', 2),
  element_at: (call) => {
    arity(call, 2);
    const [c, k] = compiledArgs(call);
    if (isMap(c!.type)) return { sql: `if(mapContains(${c!.sql}, ${k!.sql}), ${c!.sql}[${k!.sql}], NULL)`, type: mapTypes(c!.type)[1] };
    return { sql: `arrayElement(${nullable(c!.sql)}, ${k!.sql})`, type: elementType(c!.type) };
  },
  array_join: (call) => {
    arity(call, 2);
    const [a, sep] = compiledArgs(call);
    return { sql: `arrayStringConcat(arrayMap(e__ -> toString(e__), arrayFilter(e__ -> e__ IS NOT NULL, ${a!.sql})), ${sep!.sql})`, type: 'varchar' };
  },
  array_distinct: simple('arrayDistinct', first, 1),
  array_sort: simple('arraySort', first, 1),
  array_max: emptyNull('arrayMax'),
  array_min: emptyNull('arrayMin'),
  array_position: simple('indexOf', 'bigint', 2),
  arrays_overlap: simple('hasAny', 'boolean', 2),
  array_intersect: simple('arrayIntersect', first, 2),
  array_union: (call) => { arity(call, 2); const [a, b] = compiledArgs(call); return { sql: `arrayDistinct(arrayConcat(${a!.sql}, ${b!.sql}))`, type: a!.type }; },
  flatten: simple('arrayFlatten', (args) => elementType(args[0]!.type), 1),
  slice: simple('arraySlice', first, 3),
  sequence: (call) => {
    arity(call, 2);
    const [a, b] = compiledArgs(call);
    return { sql: `arrayMap(e__ -> toInt64(e__), range(toInt64(${a!.sql}), toInt64(${b!.sql}) + 1))`, type: 'array(bigint)' };
  },
  map_keys: simple('mapKeys', (args) => `array(${mapTypes(args[0]!.type)[0]})`, 1),
  map_values: simple('mapValues', (args) => `array(${mapTypes(args[0]!.type)[1]})`, 1),
  map: simple('mapFromArrays', (args) => `map(${elementType(args[0]!.type)},${elementType(args[1]!.type)})`, 2),
};

/** Trino rounds half away from zero; ClickHouse's round() on floats rounds half to even. */
const round: FunctionCompiler = (call) => {
  arity(call, 1, 2);
  const [x, d] = compiledArgs(call);
  if (isInteger(x!.type)) return x!;
  const scale = d ? `pow(10, ${d.sql})` : '1';
  return { sql: `(sign(${x!.sql}) * floor(abs(${x!.sql}) * ${scale} + 0.5) / ${scale})`, type: x!.type === 'unknown' ? 'double' : x!.type };
};

const MATH: Record<string, FunctionCompiler> = {
  abs: simple('abs', first, 1),
  ceil: simple('ceil', first, 1),
  ceiling: simple('ceil', first, 1),
  floor: simple('floor', first, 1),
  truncate: simple('trunc', first, 1),
  round,
  sqrt: simple('sqrt', 'double', 1),
  cbrt: simple('cbrt', 'double', 1),
  exp: simple('exp', 'double', 1),
  ln: simple('log', 'double', 1),
  log2: simple('log2', 'double', 1),
  log10: simple('log10', 'double', 1),
  pow: simple('pow', 'double', 2),
  power: simple('pow', 'double', 2),
  mod: (call) => { arity(call, 2); const [a, b] = compiledArgs(call); return { sql: `(${a!.sql} % ${b!.sql})`, type: common([a!, b!]) }; },
  sign: simple('sign', first, 1),
  pi: simple('pi', 'double', 0),
  e: simple('e', 'double', 0),
  random: simple('randCanonical', 'double', 0),
  rand: simple('randCanonical', 'double', 0),
  is_nan: simple('isNaN', 'boolean', 1),
  is_finite: simple('isFinite', 'boolean', 1),
  greatest: simple('greatest', common, 1, 254),
  least: simple('least', common, 1, 254),
};

const CONDITIONALS: Record<string, FunctionCompiler> = {
  coalesce: simple('coalesce', common, 1, 254),
  nullif: simple('nullIf', first, 2),
  if: (call) => {
    arity(call, 2, 3);
    const [c, a, b] = compiledArgs(call);
    return { sql: `if(${c!.sql}, ${a!.sql}, ${b?.sql ?? 'NULL'})`, type: common(b ? [a!, b] : [a!]) };
  },
};

const REGISTRY: Record<string, FunctionCompiler> = {
  ...STRINGS, ...COLLECTIONS, ...MATH, ...CONDITIONALS, ...DATETIME_FUNCTIONS, ...JSON_URL_FUNCTIONS,
};

export const isScalarFunction = (name: string): boolean => Object.hasOwn(REGISTRY, name);

export function compileFunction(call: Call): Typed {
  const compile = Object.hasOwn(REGISTRY, call.name) ? REGISTRY[call.name] : undefined;
  if (!compile) fail('FUNCTION_NOT_FOUND', call.node, `Function '${call.name}' not registered`);
  if (call.distinct) fail('SYNTAX_ERROR', call.node, `DISTINCT can only be applied to aggregation functions (${call.name})`);
  return compile(call);
}
