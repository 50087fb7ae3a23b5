/**
 * ClickHouse literals, for the few statements that must run without bound parameters: chDB runs
 * parameterised queries one at a time per process, so a cheap side query (e.g. Insights' scan
 * statistics) that would otherwise queue behind the main one is sent with literals instead and
 * runs beside it. Inside single quotes only the backslash and the quote are special.
 */
export const stringLiteral = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function intLiteral(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
  return String(n);
}
