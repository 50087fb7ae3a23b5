/**
 * CAST and TRY_CAST. CAST fails the query on a value that does not convert (as Trino does, and as
 * ClickHouse's toX functions do); TRY_CAST yields NULL there. Trino rounds a double cast to an
 * integer (half away from zero) where ClickHouse truncates, so that case rounds first.
 */
import { fail, notSupported, type Node } from './errors.ts';
import { isString, type Typed } from './types.ts';

interface Target {
  /** Athena type name of the result. */
  type: string;
  /** ClickHouse type, for accurateCastOrNull. */
  ch: string;
  /** CAST's conversion function. */
  to: string;
  /** Decimal scale. */
  scale?: number;
}

function target(node: Node): Target {
  const t = node.target?.[0];
  const name = String(t?.dataType ?? '').toUpperCase();
  switch (name) {
    case 'VARCHAR': case 'CHAR': case 'STRING': return { type: 'varchar', ch: 'String', to: 'toString' };
    case 'BIGINT': return { type: 'bigint', ch: 'Int64', to: 'toInt64' };
    case 'INTEGER': case 'INT': return { type: 'integer', ch: 'Int32', to: 'toInt32' };
    case 'SMALLINT': return { type: 'smallint', ch: 'Int16', to: 'toInt16' };
    case 'TINYINT': return { type: 'tinyint', ch: 'Int8', to: 'toInt8' };
    case 'DOUBLE': return { type: 'double', ch: 'Float64', to: 'toFloat64' };
    case 'REAL': case 'FLOAT': return { type: 'real', ch: 'Float32', to: 'toFloat32' };
    case 'BOOLEAN': case 'BOOL': return { type: 'boolean', ch: 'Bool', to: 'toBool' };
    case 'DATE': return { type: 'date', ch: 'Date32', to: 'toDate32' };
    case 'TIMESTAMP': return { type: 'timestamp(3)', ch: "DateTime64(3, 'UTC')", to: 'toDateTime64' };
    case 'DECIMAL': return decimal(node, t);
    default: return notSupported(node, `CAST to ${name || 'this type'}`);
  }
}

function decimal(node: Node, t: Node): Target {
  const p = t.length === undefined ? 38 : Number(t.length);
  const s = t.scale === undefined ? 0 : Number(t.scale);
  if (!Number.isInteger(p) || !Number.isInteger(s) || p < 1 || p > 38 || s < 0 || s > p) fail('TYPE_MISMATCH', node, 'DECIMAL precision must be in [1, 38] and scale in [0, precision]');
  return { type: `decimal(${p},${s})`, ch: `Decimal(${p}, ${s})`, to: 'toDecimal128', scale: s };
}

export function compileCast(node: Node, value: Typed): Typed {
  const t = target(node);
  const tryCast = String(node.keyword).toLowerCase() === 'try_cast';
  return { sql: tryCast ? tryCastSql(t, value) : castSql(t, value), type: t.type };
}

const INTEGER_TARGETS = new Set(['bigint', 'integer', 'smallint', 'tinyint']);
const roundHalfAway = (x: string) => `(sign(${x}) * floor(abs(${x}) + 0.5))`;

function castSql(t: Target, v: Typed): string {
  if (t.type === 'timestamp(3)') {
    return isString(v.type) ? `parseDateTime64BestEffort(${v.sql}, 3, 'UTC')` : `toDateTime64(${v.sql}, 3, 'UTC')`;
  }
  if (t.scale !== undefined) return `toDecimal128(${v.sql}, ${t.scale})`;
  if (INTEGER_TARGETS.has(t.type) && (v.type === 'double' || v.type === 'real')) return `${t.to}(${roundHalfAway(v.sql)})`;
  return `${t.to}(${v.sql})`;
}

function tryCastSql(t: Target, v: Typed): string {
  if (t.type === 'varchar') return castSql(t, v);
  if (t.type === 'timestamp(3)' && isString(v.type)) return `parseDateTime64BestEffortOrNull(${v.sql}, 3, 'UTC')`;
  const value = INTEGER_TARGETS.has(t.type) && (v.type === 'double' || v.type === 'real') ? roundHalfAway(v.sql) : v.sql;
  return `accurateCastOrNull(${value}, '${t.ch}')`;
}
