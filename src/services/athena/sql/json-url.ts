/**
 * JSON and URL functions. A JSONPath (`$.a.b[0]`, `$["a b"]`) becomes ClickHouse JSONExtract
 * arguments (keys as strings, indexes 1-based). json_extract returns JSON text (type json);
 * json_extract_scalar returns a string, number or boolean as varchar and NULL for objects, arrays,
 * JSON null and absent members, as Trino does.
 */
import { arity, compiledArgs, type Call, type FunctionCompiler } from './call.ts';
import { fail } from './errors.ts';
import { str } from './sql-text.ts';
import { isRow, memberType } from './row-type.ts';
import { castText, jsonValueText } from './text-cast.ts';
import { elementType, isArray, isMap, type Typed } from './types.ts';

/** A path step: a member name or a 0-based array index. */
export type JsonStep = string | number;

export function parseJsonPath(path: string, call: Call): JsonStep[] {
  const bad = (): never => fail('NOT_SUPPORTED', call.args[1], `Invalid or unsupported JSON path: '${path.slice(0, 60)}' (supported: $, .member, ["member"], [index])`);
  if (!path.startsWith('$')) bad();
  const steps: JsonStep[] = [];
  let i = 1;
  while (i < path.length) {
    const rest = path.slice(i);
    const member = /^\.([A-Za-z_$][\w$-]*)/.exec(rest);
    const quoted = /^\[\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\]/.exec(rest);
    const index = /^\[\s*(\d+)\s*\]/.exec(rest);
    if (member) steps.push(member[1]!);
    else if (quoted) steps.push((quoted[1] ?? quoted[2]!).replace(/\\(.)/g, '$1'));
    else if (index) steps.push(Number(index[1]));
    else bad();
    i += (member ?? quoted ?? index)![0].length;
  }
  return steps;
}

const stepArgs = (steps: readonly JsonStep[]) => steps.map((s) => (typeof s === 'number' ? `, ${s + 1}` : `, ${str(s)}`)).join('');

/** The member at `steps` as json_extract_scalar shows it (varchar, NULL unless a scalar). */
export function scalarAt(json: string, steps: readonly JsonStep[]): string {
  const p = stepArgs(steps);
  return `multiIf(JSONType(${json}${p}) = 'String', JSONExtractString(${json}${p}), ` +
    `JSONType(${json}${p}) IN ('Int64', 'UInt64', 'Double', 'Bool'), JSONExtractRaw(${json}${p}), NULL)`;
}

/** The member at `steps` as JSON text, NULL when absent. */
export const rawAt = (json: string, steps: readonly JsonStep[]): string => `nullIf(JSONExtractRaw(${json}${stepArgs(steps)}), '')`;

/**
 * `useridentity.arn` on a JSON column (our stand-in for the struct columns of Athena's CloudTrail
 * table): a string member as its text, an object or array as JSON, absent or null → NULL. Struct
 * field names are case-insensitive in Athena (`useridentity.username` reads `userName`), hence
 * the CaseInsensitive extraction (ClickHouse 25.x and later).
 */
export function jsonMember(base: Typed, steps: readonly JsonStep[]): Typed {
  return { sql: jsonValueText(`JSONExtractRawCaseInsensitive(${base.sql}${stepArgs(steps)})`), type: 'varchar' };
}

/** `col.a.b` on a row column: the member with its declared type (a nested row stays JSON text). */
export function rowMember(base: Typed, steps: readonly string[], node: unknown): Typed {
  const type = memberType(base.type, steps);
  if (type === undefined) fail('COLUMN_NOT_FOUND', node, `Field '${steps.join('.')}' is not a member of type ${base.type.slice(0, 200)}`);
  if (isRow(type!) || isArray(type!) || isMap(type!)) {
    const raw = `JSONExtractRawCaseInsensitive(${base.sql}${stepArgs(steps)})`;
    if (isArray(type!) && isRow(elementType(type!))) return { sql: `JSONExtractArrayRaw(${raw})`, type: type! };
    // Arrays and maps of scalars stay JSON text (json_extract and friends read them).
    return { sql: `if(${raw} IN ('', 'null'), NULL, ${raw})`, type: isRow(type!) ? type! : 'json' };
  }
  return { sql: castText(jsonMember(base, steps).sql, type!), type: type! };
}

const pathFn = (f: (json: string, steps: JsonStep[]) => string, type: string): FunctionCompiler => (call) => {
  arity(call, 2);
  const json = call.ex.compile(call.args[0]);
  return { sql: f(json.sql, parseJsonPath(call.ex.literal(call.args[1], call.name), call)), type };
};

const one = (f: (x: string) => string, type: string): FunctionCompiler => (call) => {
  arity(call, 1);
  return { sql: f(call.ex.compile(call.args[0]).sql), type };
};

export const JSON_URL_FUNCTIONS: Record<string, FunctionCompiler> = {
  json_extract_scalar: pathFn(scalarAt, 'varchar'),
  json_extract: pathFn(rawAt, 'json'),
  json_parse: one((x) => x, 'json'),
  json_format: one((x) => x, 'varchar'),
  json_array_length: one((x) => `if(JSONType(${x}) = 'Array', toInt64(JSONLength(${x})), NULL)`, 'bigint'),
  json_size: pathFn((j, s) => `if(JSONType(${j}${stepArgs(s)}) IN ('Object', 'Array'), toInt64(JSONLength(${j}${stepArgs(s)})), 0)`, 'bigint'),
  url_extract_host: one((x) => `nullIf(domain(${x}), '')`, 'varchar'),
  url_extract_path: one((x) => `path(${x})`, 'varchar'),
  url_extract_query: one((x) => `queryString(${x})`, 'varchar'),
  url_extract_fragment: one((x) => `fragment(${x})`, 'varchar'),
  url_extract_protocol: one((x) => `nullIf(protocol(${x}), '')`, 'varchar'),
  url_extract_port: one((x) => `nullIf(toInt64(port(${x})), 0)`, 'bigint'),
  url_decode: one((x) => `decodeURLComponent(${x})`, 'varchar'),
  url_extract_parameter: (call) => {
    arity(call, 2);
    const [u, name] = compiledArgs(call);
    return { sql: `if(has(extractURLParameterNames(${u!.sql}), ${name!.sql}), extractURLParameter(${u!.sql}, ${name!.sql}), NULL)`, type: 'varchar' };
  },
};
