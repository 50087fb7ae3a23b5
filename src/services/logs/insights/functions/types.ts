/**
 * What a function compiler gets: the call, its arguments on demand, and the compile context.
 *
 * Arguments compile when asked for, and again on every request: each compilation binds its own
 * parameters, so a compiler asks for each argument as often, and in the order, its SQL needs.
 */
import type { Call } from '../ast.ts';
import type { SqlContext } from '../context.ts';
import type { Val } from '../values.ts';

export interface FnContext {
  readonly cx: SqlContext;
  readonly call: Call;
  /** Argument i, compiled. */
  arg(i: number): Val;
  /** Every argument, compiled in order. */
  args(): Val[];
  /** Argument i as text SQL. */
  text(i: number): string;
  /** Argument i as number SQL. */
  num(i: number): string;
  /** The event's @timestamp (ms), or a compile error when stats left none. */
  timestamp(): string;
  /** Argument i, which must be a "string" literal (`what` it is, for the error). */
  literalString(i: number, what: string): string;
}

export type FnCompiler = (f: FnContext) => Val;

/** One family: lower-cased function name → compiler. */
export type FunctionTable = Readonly<Record<string, FnCompiler>>;
