/**
 * String functions: isempty, isblank, concat, ltrim, rtrim, trim, strlen, toupper, tolower, substr,
 * replace, regexreplace, strcontains, startswith, endswith, urlencode, urldecode, base64encode,
 * base64decode, split, hextoascii, hextodec, dectohex.
 *
 * - isempty/isblank are true for a missing value; concat skips missing values.
 * - trim(s, chars) removes a set of characters: "If the function has a second string argument, it
 *   does not remove white space. Instead, it removes the characters in trimChars"
 *   (ltrim("xyZxyfooxyZ","xyZ") = "fooxyZ").
 * - substr's start is zero-based: substr("xyZfooxyZ", 3, 3) = "foo".
 * - regexreplace's pattern is a "string" literal, checked like every regex of the language; `$1`
 *   in the replacement is the first group.
 * - split(s, delimiter) gives a list.
 */
import { checkRegex } from '../regex.ts';
import { NULL_TEXT, asText, ofBool, ofNum, ofText, type Val } from '../values.ts';
import type { FnContext, FunctionTable } from './types.ts';

export const STRING: FunctionTable = {
  isempty: (f) => ofBool(`coalesce(empty(${f.text(0)}), 1)`),
  isblank: (f) => ofBool(`coalesce(match(${f.text(0)}, '^\\\\s*$'), 1)`),
  concat: (f) => {
    const parts = f.args().map((v) => `ifNull(${asText(f.cx, v)}, '')`);
    return ofText(parts.length === 1 ? parts[0]! : `concat(${parts.join(', ')})`);
  },
  ltrim: (f) => trim(f, 'ltrim'),
  rtrim: (f) => trim(f, 'rtrim'),
  trim: (f) => trim(f, 'trim'),
  strlen: (f) => ofNum(`lengthUTF8(${f.text(0)})`),
  toupper: (f) => ofText(`upperUTF8(${f.text(0)})`),
  tolower: (f) => ofText(`lowerUTF8(${f.text(0)})`),
  substr: (f) => {
    const s = f.text(0);
    const start = `toInt64(greatest(${f.num(1)}, 0)) + 1`;
    if (f.call.args.length === 2) return ofText(`substringUTF8(${s}, ${start})`);
    return ofText(`substringUTF8(${s}, ${start}, toInt64(greatest(${f.num(2)}, 0)))`);
  },
  replace: (f) => ofText(`replaceAll(${f.text(0)}, ${f.text(1)}, ${f.text(2)})`),
  regexreplace: (f) => regexReplace(f),
  strcontains: (f) => {
    let ci = false;
    if (f.call.args.length === 3) {
      const c = f.call.args[2]!;
      if (c.kind !== 'bool') return f.cx.fail(`${f.call.rawName}() takes true or false as its third argument`, c);
      ci = c.value;
    }
    return ofBool(`coalesce(${ci ? 'positionCaseInsensitiveUTF8' : 'position'}(${f.text(0)}, ${f.text(1)}) > 0, 0)`);
  },
  startswith: (f) => ofBool(`coalesce(startsWith(${f.text(0)}, ${f.text(1)}), 0)`),
  endswith: (f) => ofBool(`coalesce(endsWith(${f.text(0)}, ${f.text(1)}), 0)`),
  urlencode: (f) => ofText(`encodeURLFormComponent(${f.text(0)})`),
  urldecode: (f) => ofText(`decodeURLFormComponent(${f.text(0)})`),
  base64encode: (f) => ofText(`base64Encode(${f.text(0)})`),
  base64decode: (f) => ofText(`tryBase64Decode(${f.text(0)})`),
  split: (f) => {
    const s = f.text(0);
    const d = f.literalString(1, 'the delimiter');
    return { sql: `if(isNull(${s}), ${NULL_TEXT}, toJSONString(splitByString(${f.cx.str(d)}, ifNull(${s}, ''))))`, type: 'json' };
  },
  hextoascii: (f) => ofText(`unhex(replaceRegexpOne(${f.text(0)}, '^0[xX]', ''))`),
  hextodec: (f) => {
    const h = `replaceRegexpOne(${f.text(0)}, '^0[xX]', '')`;
    return ofNum(`if(match(${h}, '^[0-9a-fA-F]{1,16}$'), reinterpretAsUInt64(reverse(unhex(leftPad(${h}, 16, '0')))), NULL)`);
  },
  dectohex: (f) => {
    const x = f.num(0);
    return ofText(`if(abs(${x}) < 18446744073709551616, concat(if(${x} < 0, '-0x', '0x'), lower(hex(toUInt64(abs(trunc(${x})))))), NULL)`);
  },
};

function trim(f: FnContext, name: 'ltrim' | 'rtrim' | 'trim'): Val {
  const s = f.text(0);
  let cls = '\\s';
  if (f.call.args.length === 2) {
    const chars = f.literalString(1, 'the characters to remove');
    if (chars === '') return ofText(s);
    cls = classEscape(chars);
  }
  const re = name === 'ltrim' ? `^[${cls}]+` : name === 'rtrim' ? `[${cls}]+$` : `^[${cls}]+|[${cls}]+$`;
  return ofText(`${name === 'trim' ? 'replaceRegexpAll' : 'replaceRegexpOne'}(${s}, ${f.cx.str(re)}, '')`);
}

function regexReplace(f: FnContext): Val {
  const { call, cx } = f;
  const s = f.text(0);
  const re = f.literalString(1, 'the pattern');
  const at = call.args[1]!;
  checkRegex(re, (msg, i) => cx.fail(msg, { start: at.start + 1 + i, end: at.start + 2 + i }));
  const r = call.args[2]!;
  // `$1` (Java) → `\1` (RE2); a literal backslash must be doubled for ClickHouse.
  const repl = r.kind === 'string' ? cx.str(r.value.replace(/\\/g, '\\\\').replace(/\$(\d)/g, '\\$1')) : f.text(2);
  return ofText(`replaceRegexpAll(${s}, ${cx.str(re)}, ${repl})`);
}

/** Characters as members of a regex character class. */
function classEscape(s: string): string {
  return [...s].map((c) => (/[\\\][^-]/.test(c) ? `\\${c}` : c)).join('');
}
