/**
 * What a function's compiler receives: the call's node, its argument nodes, and a way to compile
 * them (ExprCompiler, behind an interface so function tables do not import the compiler).
 */
import { fail, type Node } from './errors.ts';
import type { Typed } from './types.ts';

export interface ArgCompiler {
  compile(node: Node): Typed;
  /** A string literal argument's text, or NOT_SUPPORTED naming the function. */
  literal(node: Node, fn: string): string;
}

export interface Call {
  /** Lower-cased function name. */
  name: string;
  node: Node;
  args: Node[];
  distinct: boolean;
  ex: ArgCompiler;
}

export type FunctionCompiler = (call: Call) => Typed;

/** Checks the argument count against Trino's signatures (min…max). */
export function arity(call: Call, min: number, max = min): void {
  const n = call.args.length;
  if (n < min || n > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    fail('FUNCTION_NOT_FOUND', call.node, `Unexpected parameters for function ${call.name}: expected ${want} argument(s), got ${n}`);
  }
}

/** Compiles all arguments. */
export const compiledArgs = (call: Call): Typed[] => call.args.map((a) => call.ex.compile(a));
