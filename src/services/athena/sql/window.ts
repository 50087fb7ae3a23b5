/**
 * Window functions: `f(…) OVER (PARTITION BY … ORDER BY … [ROWS frame])`. Ranking and value
 * functions map to ClickHouse's; aggregates over a window reuse aggregates.ts. lag/lead ignore the
 * frame in Trino, so they run over the whole partition (ClickHouse's lagInFrame reads the frame).
 */
import { arity, compiledArgs, type Call } from './call.ts';
import { compileAggregate } from './aggregates.ts';
import { fail, notSupported, type Node } from './errors.ts';
import { num } from './sql-text.ts';
import type { Typed } from './types.ts';

/** Functions that exist only with OVER. */
export const WINDOW_ONLY = new Set(['row_number', 'rank', 'dense_rank', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value']);

const WHOLE_PARTITION = 'ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING';

/** ` ASC NULLS LAST` etc. for an ORDER BY item; Trino sorts NULLs last unless told otherwise. */
export function orderSuffix(item: Node): string {
  if (item?.expr?.collate) notSupported(item.expr, 'COLLATE');
  const dir = String(item?.type ?? 'ASC').toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
  const nulls = /FIRST/i.test(String(item?.nulls ?? '')) ? 'NULLS FIRST' : 'NULLS LAST';
  return ` ${dir} ${nulls}`;
}

export function compileWindowFunction(call: Call, over: Node): Typed {
  const spec = over?.as_window_specification?.window_specification;
  if (!spec) return notSupported(over, 'A named window (WINDOW clause)');
  const partition = ((spec.partitionby ?? []) as Node[]).map((p) => call.ex.compile(p.expr ?? p).sql);
  const order = ((spec.orderby ?? []) as Node[]).map((o) => `${call.ex.compile(o.expr).sql}${orderSuffix(o)}`);
  const frame = spec.window_frame_clause ? frameSql(spec.window_frame_clause) : '';
  const fn = windowCall(call);
  const clause = (f: string) => [
    partition.length ? `PARTITION BY ${partition.join(', ')}` : '', order.length ? `ORDER BY ${order.join(', ')}` : '', f,
  ].filter(Boolean).join(' ');
  return { sql: `${fn.sql} OVER (${clause(fn.wholePartition ? WHOLE_PARTITION : frame)})`, type: fn.type };
}

function windowCall(call: Call): Typed & { wholePartition?: boolean } {
  switch (call.name) {
    case 'row_number': case 'rank': case 'dense_rank':
      arity(call, 0);
      return { sql: `${call.name}()`, type: 'bigint' };
    case 'ntile': {
      arity(call, 1);
      return { sql: `ntile(${constantInt(call, call.args[0])})`, type: 'bigint' };
    }
    case 'lag': case 'lead': return lagLead(call);
    case 'first_value': case 'last_value': {
      arity(call, 1);
      const [x] = compiledArgs(call);
      // Trino's value functions respect NULLs; ClickHouse's plain ones skip them.
      return { sql: `${call.name}_respect_nulls(${x!.sql})`, type: x!.type };
    }
    case 'nth_value': {
      arity(call, 2);
      const [x] = compiledArgs(call);
      return { sql: `nth_value(toNullable(${x!.sql}), ${constantInt(call, call.args[1])})`, type: x!.type };
    }
    default: return compileAggregate(call);
  }
}

/** lag(x[, offset[, default]]): NULL (or the default) beyond the partition, whatever the frame. */
function lagLead(call: Call): Typed & { wholePartition: boolean } {
  arity(call, 1, 3);
  const x = call.ex.compile(call.args[0]);
  const offset = call.args.length > 1 ? constantInt(call, call.args[1]) : '1';
  const dflt = call.args.length > 2 ? `, ${call.ex.compile(call.args[2]).sql}` : '';
  return { sql: `${call.name}InFrame(toNullable(${x.sql}), ${offset}${dflt})`, type: x.type, wholePartition: true };
}

function constantInt(call: Call, node: Node): string {
  if (node?.type !== 'number' || !/^\d+$/.test(String(node.value))) fail('NOT_SUPPORTED', node ?? call.node, `${call.name}() with a non-constant offset`);
  return num(node.value);
}

const BOUND = /^(UNBOUNDED PRECEDING|UNBOUNDED FOLLOWING|CURRENT ROW|\d+ PRECEDING|\d+ FOLLOWING)$/;

/** `ROWS BETWEEN a AND b` / `ROWS a` (RANGE frames do not parse in this grammar). */
function frameSql(frame: Node): string {
  const bound = (n: Node): string => {
    const text = String(n?.value ?? '').trim().toUpperCase().replace(/\s+/g, ' ');
    if (!BOUND.test(text)) return notSupported(n, 'This window frame bound');
    return text;
  };
  if (frame.type === 'binary_expr' && String(frame.operator).toUpperCase() === 'BETWEEN') {
    if (String(frame.left?.value).toLowerCase() !== 'rows') return notSupported(frame, 'A RANGE window frame');
    const [a, b] = (frame.right?.value ?? []) as Node[];
    return `ROWS BETWEEN ${bound(a)} AND ${bound(b)}`;
  }
  if (frame.type === 'rows') return `ROWS ${bound(frame.expr)}`;
  return notSupported(frame, 'This window frame');
}
