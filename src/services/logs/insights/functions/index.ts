/**
 * The function registry: lower-cased name → compiler, one family per file. plan.ts's FUNCTIONS
 * holds the arities and kinds; functions.test.ts checks that the two list the same names.
 */
import { DATETIME } from './datetime.ts';
import { GENERAL } from './general.ts';
import { IP } from './ip.ts';
import { JSON_FUNCTIONS } from './json.ts';
import { NUMERIC } from './numeric.ts';
import { STATS } from './stats.ts';
import { STRING } from './string.ts';
import type { FnCompiler } from './types.ts';

export const FUNCTION_COMPILERS: ReadonlyMap<string, FnCompiler> = new Map(
  [NUMERIC, DATETIME, GENERAL, JSON_FUNCTIONS, IP, STRING, STATS].flatMap((table) => Object.entries(table)),
);
