/**
 * `parse field "glob" as a, b` and `parse field /(?<a>…)/`: binds each name to an extraction
 * from the source field, substituted where the name is used (no subquery). A name whose pattern
 * does not match the event is missing.
 */
import type { ParseCommand } from '../ast.ts';
import type { SqlContext } from '../context.ts';
import { compileExpr } from '../expr.ts';
import { unnameGroups } from '../regex.ts';
import type { Stage } from '../stage.ts';
import { NULL_TEXT, asText } from '../values.ts';

export function compileParse(cx: SqlContext, stage: Stage, c: ParseCommand): void {
  const v = compileExpr(cx, c.source, { stage, level: 'row' });
  const src = asText(cx, v);
  const notNull = v.notNull === true && v.type !== 'json';
  const s = notNull ? src : `ifNull(${src}, '')`;
  const absent = notNull ? '' : `isNull(${src}) OR `;
  if (c.mode === 'glob') {
    // Globs use position()/substring() — the same leftmost, lazy match as the regex
    // globToRegex() spells out — one scalar per name, with no per-event array.
    const g = globCaptures(cx, s, c.pattern);
    c.names.forEach((name, i) => {
      const capture = g.captures[i];
      // A name beyond the glob's captures is bound to nothing, as with the regex form.
      stage.bindings.set(name, { sql: capture === undefined ? NULL_TEXT : `if(${absent}NOT (${g.found}), ${NULL_TEXT}, ${capture})`, type: 'text' });
    });
    return;
  }
  // One extraction per event; the names below share it (ClickHouse evaluates it once).
  const groups = `extractGroups(${s}, ${cx.str(unnameGroups(c.regex))})`;
  c.names.forEach((name, i) => {
    if (name === null) return;
    stage.bindings.set(name, { sql: `if(${absent}empty(${groups}), ${NULL_TEXT}, ${groups}[${i + 1}])`, type: 'text' });
  });
}

function reEscape(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
}

/** A glob (`*` wildcards) as RE2: lazy wildcards, the last one greedy when it ends the pattern. */
export function globToRegex(glob: string): string {
  const parts = glob.split('*');
  let re = '(?s)';
  parts.forEach((lit, i) => {
    re += reEscape(lit);
    if (i < parts.length - 1) re += i === parts.length - 2 && parts.at(-1) === '' ? '(.*)' : '(.*?)';
  });
  return re;
}

/**
 * A glob's match condition and captures. Equivalent to extractGroups(s, globToRegex(glob)): the
 * match starts at the first occurrence of the leading literal (any later start could only match
 * less), each `*` takes the text up to the first occurrence of the next literal, and a trailing
 * `*` takes the rest. Positions are in bytes on both sides, and literals are whole UTF-8
 * strings, so captures never split a character.
 */
function globCaptures(cx: SqlContext, s: string, glob: string): { found: string; captures: string[] } {
  const parts = glob.split('*');
  const found: string[] = [];
  const captures: string[] = [];
  let start: string;
  if (parts[0] !== '') {
    const lit = cx.str(parts[0]!);
    const at = `position(${s}, ${lit})`;
    found.push(`${at} > 0`);
    start = `(${at} + length(${lit}))`;
  } else {
    start = '1';
  }
  for (let i = 1; i < parts.length; i++) {
    const next = parts[i]!;
    if (next === '' && i === parts.length - 1) {
      captures.push(`substring(${s}, ${start})`);
      break;
    }
    const lit = cx.str(next);
    const at = `position(${s}, ${lit}, ${start})`;
    found.push(`${at} > 0`);
    captures.push(`substring(${s}, ${start}, ${at} - ${start})`);
    start = `(${at} + length(${lit}))`;
  }
  return { found: found.length > 0 ? found.join(' AND ') : '1', captures };
}
