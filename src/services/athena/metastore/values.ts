/**
 * Values as Hive's SerDes produce them, in ClickHouse SQL: from the text of a delimited / regex /
 * CSV field (LazySimpleSerDe: an unparseable number is NULL, `\N` is NULL), from a JSON member
 * (the JSON SerDes: strings coerce to numbers, objects stay JSON text), and the presentation of a
 * binary format's nested values (structs as JSON text, like every struct column here).
 */
import { stringLiteral } from '../../../store/telemetry/sql-literal.ts';
import { trinoType, type HiveType } from '../ddl/hive-types.ts';
import { castText, jsonValueText } from '../sql/text-cast.ts';
import { AthenaSqlError } from '../sql/errors.ts';

/** A scalar from text (the text expression may be NULL). */
export const scalarFromText = (text: string, t: HiveType & { kind: 'primitive' }): string => castText(text, trinoType(t));

/** A delimited field's text → the column's value; complex types split on the collection delimiters. */
export function fromDelimitedText(text: string, t: HiveType, delims: { collection: string; mapKey: string }, what: string): string {
  if (t.kind === 'primitive') return scalarFromText(text, t);
  if (t.kind === 'array' && t.element.kind === 'primitive') {
    return `if(${text} IS NULL OR ${text} = '', [], arrayMap(x__ -> ${scalarFromText('x__', t.element)}, splitByString(${stringLiteral(delims.collection)}, ${text})))`;
  }
  if (t.kind === 'map' && t.key.kind === 'primitive' && t.value.kind === 'primitive') {
    const kv = `arrayMap(e__ -> splitByString(${stringLiteral(delims.mapKey)}, e__), splitByString(${stringLiteral(delims.collection)}, ${text}))`;
    return `if(${text} IS NULL OR ${text} = '', map(), mapFromArrays(arrayMap(p__ -> assumeNotNull(${scalarFromText('p__[1]', t.key)}), ${kv}), ` +
      `arrayMap(p__ -> ${scalarFromText('if(length(p__) > 1, p__[2], NULL)', t.value)}, ${kv})))`;
  }
  throw new AthenaSqlError('NOT_SUPPORTED', `Column ${what}: type ${t.kind === 'struct' ? 'struct' : 'nested'} is not supported in text (delimited, regex or CSV) tables`);
}


const STRINGS = new Set(['string', 'varchar', 'char', 'binary']);

/** A JSON value (its raw text) → the column's value. */
export function fromJson(raw: string, t: HiveType): string {
  switch (t.kind) {
    // A number, boolean or date may be written bare or as a string ("20"); its text without the
    // quotes converts (absent and null do not, so they are NULL) — without parsing the value again.
    case 'primitive': return STRINGS.has(t.name) ? jsonValueText(raw) : scalarFromText(`trim(BOTH '"' FROM ${raw})`, t);
    case 'struct': return `if(${raw} IN ('', 'null'), NULL, ${raw})`;
    case 'array': return `arrayMap(x__ -> ${fromJson('x__', t.element)}, JSONExtractArrayRaw(${raw}))`;
    case 'map': {
      const kv = `JSONExtractKeysAndValuesRaw(${raw})`;
      if (t.key.kind !== 'primitive') throw new AthenaSqlError('NOT_SUPPORTED', 'Map keys must be of a primitive type');
      return `mapFromArrays(arrayMap(p__ -> assumeNotNull(${scalarFromText('p__.1', t.key)}), ${kv}), arrayMap(p__ -> ${fromJson('p__.2', t.value)}, ${kv}))`;
    }
  }
}

/** The translator's view of a value read natively (Parquet/ORC/Avro): structs become JSON text. */
export function presentNative(expr: string, t: HiveType): string {
  switch (t.kind) {
    case 'primitive': return expr;
    case 'struct': return `toJSONString(${expr})`;
    case 'array': return t.element.kind === 'primitive' ? expr : `arrayMap(x__ -> ${presentNative('x__', t.element)}, ${expr})`;
    case 'map': return t.value.kind === 'primitive' ? expr : `mapApply((k__, v__) -> (k__, ${presentNative('v__', t.value)}), ${expr})`;
  }
}
