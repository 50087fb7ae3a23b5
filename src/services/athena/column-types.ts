/**
 * ClickHouse result types → Athena (Trino) type names, and values → the strings GetQueryResults
 * returns (Datum.VarCharValue): Trino's renderings — `[a, b]` arrays, `{k=v}` maps, `true`/`false`,
 * timestamps `yyyy-MM-dd HH:mm:ss.SSS`, NULL as a Datum without VarCharValue.
 */

/** Peels Nullable(…) and LowCardinality(…). */
function bare(t: string): string {
  const m = /^(Nullable|LowCardinality)\((.*)\)$/.exec(t);
  return m ? bare(m[2]!) : t;
}

/** Splits `A, B` at top level (Map(K, V), Tuple(…)). */
export function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    else if (s[i] === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out;
}

const SCALARS: [RegExp, string][] = [
  [/^(String|FixedString\(\d+\)|UUID|IPv4|IPv6|Enum(8|16)\(.*\))$/, 'varchar'],
  [/^(Int8|UInt8)$/, 'tinyint'], [/^(Int16)$/, 'smallint'], [/^(UInt16|Int32)$/, 'integer'],
  [/^(UInt32|Int64|UInt64|Int128|UInt128|Int256|UInt256)$/, 'bigint'],
  [/^Float32$/, 'real'], [/^Float64$/, 'double'], [/^Bool$/, 'boolean'],
  [/^(Date|Date32)$/, 'date'], [/^DateTime(64)?(\(.*\))?$/, 'timestamp'], [/^Nothing$/, 'unknown'],
];

export function athenaType(chType: string): string {
  const t = bare(chType);
  const dec = /^Decimal(?:\d+)?\((\d+),\s*(\d+)\)$/.exec(t);
  if (dec) return `decimal(${dec[1]},${dec[2]})`;
  const arr = /^Array\((.*)\)$/.exec(t);
  if (arr) return `array(${athenaType(arr[1]!)})`;
  const map = /^Map\((.*)\)$/.exec(t);
  if (map) {
    const [k, v] = splitArgs(map[1]!);
    return `map(${athenaType(k!)},${athenaType(v!)})`;
  }
  const tup = /^Tuple\((.*)\)$/.exec(t);
  if (tup) return `row(${splitArgs(tup[1]!).map((a) => athenaType(a.replace(/^\w+\s+(?=\w)/, ''))).join(',')})`;
  for (const [re, name] of SCALARS) if (re.test(t)) return name;
  return 'varchar';
}

/** A value as Athena renders it in results (undefined = NULL). */
export function renderValue(v: unknown, type: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    const inner = /^array\((.*)\)$/.exec(type)?.[1] ?? 'varchar';
    return `[${v.map((x) => renderValue(x, inner) ?? 'null').join(', ')}]`;
  }
  if (typeof v === 'object') {
    const inner = splitArgs(/^map\((.*)\)$/.exec(type)?.[1] ?? 'varchar,varchar')[1] ?? 'varchar';
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}=${renderValue(x, inner) ?? 'null'}`).join(', ')}}`;
  }
  if ((type === 'double' || type === 'real') && typeof v === 'number') return javaDouble(v);
  if (type === 'boolean') return v === true || v === 1 || v === '1' || v === 'true' ? 'true' : 'false';
  if (type === 'timestamp' && typeof v === 'string' && /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(v)) return `${v}.000`;
  return String(v);
}

/**
 * A double as Java's Double.toString writes it, which is how Athena (Trino) renders doubles:
 * `2.0`, `0.5`, `1.0E7`, `1.5E-4`, `NaN`, `Infinity`.
 */
export function javaDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(v);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exp] = v.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exp)}`;
}
