/**
 * The models' `pattern` constraints are Java regular expressions (AWS validates with Java); this
 * rewrites them for JS RegExp, or gives up where JS has no equivalent.
 */

const compiled = new Map<string, RegExp | null>();

/**
 * A model pattern (Java syntax) as a JS RegExp that must match the whole value, or null when it
 * can't be expressed (the constraint is then skipped, never thrown). Cached per pattern.
 */
export function compileJavaPattern(pattern: string): RegExp | null {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = tryCompile(pattern);
    compiled.set(pattern, re);
  }
  return re;
}

function tryCompile(pattern: string): RegExp | null {
  // A construct JS reads differently (class intersection…) must not be compiled with the wrong meaning.
  const translated = javaToJs(pattern);
  if (!translated) return null;
  // `u` for \p{L} and friends; without it for the few patterns only legacy syntax accepts.
  for (const flags of [translated.flags + 'u', translated.flags]) {
    try {
      return new RegExp(`^(?:${translated.source})$`, flags);
    } catch {
      // try the next form
    }
  }
  return null;
}

// Java POSIX classes (\p{Alnum} …) that JS lacks, as class contents.
const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'A-Za-z',
  Digit: '0-9',
  Alnum: 'A-Za-z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};
/** Characters that keep their backslash in a JS `u` pattern. */
const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));

/** One backslash escape starting at `i`, rewritten for a JS `u` RegExp; null when JS has no equivalent. */
function javaEscape(pattern: string, start: number, inClass: boolean): { text: string; end: number } | null {
  const next = pattern[start + 1];
  if (next === undefined) return null;
  const i = start + 2;
  if (next === 'Q') {
    const end = pattern.indexOf('\\E', i);
    const literal = end === -1 ? pattern.slice(i) : pattern.slice(i, end);
    return { text: literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'), end: end === -1 ? pattern.length : end + 2 };
  }
  if ((next === 'p' || next === 'P') && pattern[i] === '{') {
    const close = pattern.indexOf('}', i);
    if (close === -1) return null;
    const name = pattern.slice(i + 1, close).replace(/^Is(?=[A-Z])/, '');
    const posix = POSIX[name];
    if (posix === undefined) return { text: `\\${next}{${name}}`, end: close + 1 };
    if (inClass) return next === 'P' ? null : { text: posix, end: close + 1 };
    return { text: next === 'P' ? `[^${posix}]` : `[${posix}]`, end: close + 1 };
  }
  let text: string;
  if (!inClass && next === 'A') text = '^';
  else if (!inClass && (next === 'z' || next === 'Z')) text = '$';
  else if (/[A-Za-z0-9]/.test(next)) text = `\\${next}`;
  else if (SYNTAX.has(next) || (inClass && next === '-')) text = `\\${next}`;
  else text = next; // `\_`, `\#`, `\-` outside a class…: just the character
  return { text, end: i };
}

/**
 * Rewrites the Java-only parts of a pattern for a JS `u` RegExp: inline flags `(?i)`, `\A` `\z`,
 * `\Q…\E`, POSIX `\p{Alnum}`, possessive quantifiers, escapes of ordinary characters (`\_`, `\#`)
 * and stray `{`/`}`/`]`. Returns null for what has no JS equivalent (class union/intersection).
 */
function javaToJs(pattern: string): { source: string; flags: string } | null {
  let flags = '';
  let i = 0;
  const inline = /^\(\?([imsx]+)\)/.exec(pattern);
  if (inline) {
    if (inline[1]!.includes('x')) return null;
    flags = [...new Set(inline[1]!.split(''))].join('');
    i = inline[0].length;
  }
  let out = '';
  let inClass = false;
  let afterQuantifier = false;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const escaped = javaEscape(pattern, i, inClass);
      if (!escaped) return null;
      out += escaped.text;
      i = escaped.end;
      afterQuantifier = false;
      continue;
    }
    if (inClass) {
      if (c === '[' || (c === '&' && pattern[i + 1] === '&')) return null; // Java class union / intersection
      if (c === ']') inClass = false;
      // Java reads `[\w-_]` as \w, '-', '_'; a `u` RegExp rejects a range from a class escape.
      const besideClassEscape = /\\[dswDSWpP]$/.test(out) || /^\\[dswDSWpP]/.test(pattern.slice(i + 1));
      out += c === '-' && besideClassEscape ? '\\-' : c;
      i++;
      continue;
    }
    if (c === '+' && afterQuantifier) {
      // Possessive quantifier (`a*+`): JS has none; matching the same strings is what counts here.
      i++;
      afterQuantifier = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (pattern[i] === '^') out += pattern[i++];
      // Java allows `]` first in a class as a literal.
      if (pattern[i] === ']') {
        out += '\\]';
        i++;
      }
      afterQuantifier = false;
      continue;
    }
    if (c === '{') {
      const quantifier = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(i));
      out += quantifier ? quantifier[0] : '\\{';
      i += quantifier ? quantifier[0].length : 1;
      afterQuantifier = quantifier !== null;
      continue;
    }
    if (c === '}' || c === ']') {
      out += `\\${c}`;
      i++;
      afterQuantifier = false;
      continue;
    }
    if (c === '(' && pattern.startsWith('(?>', i)) {
      out += '(?:'; // atomic group: same matches, different backtracking
      i += 3;
      afterQuantifier = false;
      continue;
    }
    out += c;
    i++;
    afterQuantifier = c === '*' || c === '+' || c === '?';
  }
  return inClass ? null : { source: out, flags };
}
