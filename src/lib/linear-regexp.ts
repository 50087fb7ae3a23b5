/**
 * Regular expressions that run in linear time, for patterns users write (metric filters,
 * subscription filters, FilterLogEvents, live tail). V8's default engine backtracks: a pattern like
 * `a?a?…aa…` takes exponential time and blocks the event loop; AWS evaluates these patterns with
 * RE2, which never does. V8 ships a linear-time (automaton) engine behind a flag, used for a RegExp
 * created with the `l` flag; it supports what RE2 supports (no backreferences or lookaround).
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--enable-experimental-regexp-engine');

/** Throws SyntaxError when the source cannot run in linear time (backreferences, lookaround). */
export const linearRegExp = (source: string, flags = ''): RegExp => new RegExp(source, `${flags}l`);
