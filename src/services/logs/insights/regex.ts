/**
 * Regular expressions of the language (`like /…/`, `=~`, `parse /…/`, regexReplace). They run in
 * ClickHouse (RE2); AWS documents Java-like syntax. The constructs RE2 cannot run are rejected
 * here, with their position, instead of failing the query.
 */

type Fail = (message: string, at: number) => never;

/** Rejects what RE2 does not support: lookaround, backreferences, possessive quantifiers, atomic groups. */
export function checkRegex(src: string, fail: Fail): void {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const e = src[i + 1];
      if (e === undefined) fail("a regular expression cannot end with '\\'", i);
      if (!inClass && e !== undefined && e >= '1' && e <= '9') fail('backreferences are not supported in regular expressions', i);
      if (!inClass && (e === 'k' || e === 'G' || e === 'Z')) fail(`\\${e} is not supported in regular expressions`, i);
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (src[i + 1] === '^') i++;
      if (src[i + 1] === ']') i++; // a leading ] is literal
      continue;
    }
    if (c === '(') {
      depth++;
      if (src.startsWith('(?=', i) || src.startsWith('(?!', i) || src.startsWith('(?<=', i) || src.startsWith('(?<!', i)) {
        fail('lookahead and lookbehind are not supported in regular expressions', i);
      }
      if (src.startsWith('(?>', i)) fail('atomic groups are not supported in regular expressions', i);
    } else if (c === ')') {
      depth--;
      if (depth < 0) fail("unmatched ')' in regular expression", i);
    } else if ((c === '+' || c === '*' || c === '?' || c === '}') && src[i + 1] === '+') {
      fail('possessive quantifiers are not supported in regular expressions', i + 1);
    }
  }
  if (inClass) fail("unterminated '[' in regular expression", src.length - 1);
  if (depth > 0) fail("unmatched '(' in regular expression", src.length - 1);
  // What is left is checked by a JavaScript RegExp (Annex B syntax, which accepts everything RE2
  // does once inline flags and group names are taken out), so a bad range or a quantifier with
  // nothing to repeat is reported here rather than by the engine.
  const js = unnameGroups(src).replace(/\(\?[imsU]+\)/g, '').replace(/\(\?[imsU]*(?:-[imsU]+)?:/g, '(?:');
  try {
    new RegExp(js);
  } catch (e) {
    fail(`invalid regular expression: ${String((e as Error).message).replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '')}`, 0);
  }
}

/** The capturing groups of a regex in order; `name` for `(?<name>…)` / `(?P<name>…)`. */
export function captureGroups(src: string, fail: Fail): { name: string | undefined }[] {
  checkRegex(src, fail);
  const groups: { name: string | undefined }[] = [];
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (src[i + 1] === '^') i++;
      if (src[i + 1] === ']') i++;
      continue;
    }
    if (c !== '(') continue;
    if (src[i + 1] !== '?') {
      groups.push({ name: undefined });
      continue;
    }
    const m = /^\(\?P?<([A-Za-z_@][A-Za-z0-9_@.]*)>/.exec(src.slice(i));
    if (m) groups.push({ name: m[1] });
    else if (/^\(\?P?</.test(src.slice(i))) fail('invalid capturing group name', i);
    // Other (?…) forms (flags, non-capturing groups) capture nothing.
  }
  const seen = new Set<string>();
  for (const g of groups) {
    if (g.name === undefined) continue;
    if (seen.has(g.name)) fail(`duplicate capturing group name ${g.name}`, src.indexOf(`<${g.name}>`));
    seen.add(g.name);
  }
  return groups;
}

/** The regex with `(?<name>` / `(?P<name>` turned into plain `(`: names are ours, RE2 only captures. */
export function unnameGroups(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') out += src[++i];
      continue;
    }
    if (c === '(') {
      const m = /^\(\?P?<[A-Za-z_@][A-Za-z0-9_@.]*>/.exec(src.slice(i));
      if (m) {
        out += '(';
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}
