/**
 * A pull tokenizer for JSON text, shaped like the Jackson streaming parser that event-ruler uses:
 * the pattern compiler validates while it reads, so errors come out in document order (a bad operator
 * before a syntax error is reported as the bad operator, as AWS does), duplicate keys reach the
 * compiler (the last one wins), and numbers keep their spelling (300 vs 300.0 matters).
 * Syntax errors reuse Jackson's wording because AWS echoes it after "Reason: ".
 */

export type Tok =
  | 'startObject' | 'endObject' | 'startArray' | 'endArray' | 'field'
  | 'string' | 'number' | 'true' | 'false' | 'null' | 'eof';

/** Jackson's default StreamReadConstraints nesting limit; it also keeps recursion far from the JS stack limit. */
export const MAX_DEPTH = 1000;

export class JsonSyntaxError extends Error {}

interface Frame { obj: boolean; count: number; afterField: boolean }

const VALUE_EXPECTED = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

export class JsonLexer {
  private pos = 0;
  private readonly stack: Frame[] = [];
  private done = false;
  /** The current token's text: the decoded string or field name, the number's spelling, or the punctuation. */
  text = '';

  constructor(private readonly src: string) {}

  next(): Tok {
    if (this.done) return 'eof';
    this.skipSpace();
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) return this.value();
    const c = this.src[this.pos];
    if (top.obj && !top.afterField) {
      if (c === '}') return this.close('endObject');
      if (top.count > 0) {
        if (c !== ',') this.unexpected('was expecting comma to separate Object entries');
        this.pos++;
        this.skipSpace();
      }
      if (this.src[this.pos] !== '"') this.unexpected('was expecting double-quote to start field name');
      this.pos++;
      this.text = this.readString();
      top.afterField = true;
      return 'field';
    }
    if (top.obj) {
      if (c !== ':') this.unexpected('was expecting a colon to separate field name and value');
      this.pos++;
      top.afterField = false;
      top.count++;
      this.skipSpace();
      return this.value();
    }
    if (c === ']') return this.close('endArray');
    if (top.count > 0) {
      if (c !== ',') this.unexpected('was expecting comma to separate Array entries');
      this.pos++;
      this.skipSpace();
    }
    top.count++;
    return this.value();
  }

  private close(t: 'endObject' | 'endArray'): Tok {
    this.text = t === 'endObject' ? '}' : ']';
    this.pos++;
    this.stack.pop();
    if (this.stack.length === 0) this.done = true;
    return t;
  }

  private open(obj: boolean): Tok {
    if (this.stack.length >= MAX_DEPTH) {
      throw new JsonSyntaxError(`Document nesting depth (${MAX_DEPTH + 1}) exceeds the maximum allowed (${MAX_DEPTH}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`);
    }
    this.text = obj ? '{' : '[';
    this.pos++;
    this.stack.push({ obj, count: 0, afterField: false });
    return obj ? 'startObject' : 'startArray';
  }

  private value(): Tok {
    const c = this.src[this.pos];
    if (c === undefined) {
      if (this.stack.length === 0) return 'eof';
      throw new JsonSyntaxError(`Unexpected end-of-input: expected close marker for ${this.stack[this.stack.length - 1].obj ? 'Object' : 'Array'}`);
    }
    if (this.stack.length === 0) this.done = c !== '{' && c !== '[';
    if (c === '{') return this.open(true);
    if (c === '[') return this.open(false);
    if (c === '"') {
      this.pos++;
      this.text = this.readString();
      return 'string';
    }
    if (c === '-' || (c >= '0' && c <= '9')) return this.readNumber();
    const word = /^[A-Za-z0-9_$\-.+]+/.exec(this.src.slice(this.pos, this.pos + 256))?.[0] ?? '';
    if (word === 'true' || word === 'false' || word === 'null') {
      this.pos += word.length;
      this.text = word;
      return word;
    }
    if (word !== '') throw new JsonSyntaxError(`Unrecognized token '${word}': was expecting ${VALUE_EXPECTED}`);
    this.unexpected(`expected a valid value ${VALUE_EXPECTED}`);
  }

  private readNumber(): Tok {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.src.slice(this.pos, this.pos + 4096));
    if (!m || /^[0-9]/.test(this.src.slice(this.pos + m[0].length, this.pos + m[0].length + 1)) || m[0].length >= 4096) {
      throw new JsonSyntaxError('Invalid numeric value: malformed number');
    }
    this.text = m[0];
    this.pos += m[0].length;
    return 'number';
  }

  private readString(): string {
    const src = this.src;
    let out = '';
    let start = this.pos;
    for (;;) {
      const i = this.pos;
      if (i >= src.length) throw new JsonSyntaxError('Unexpected end-of-input: was expecting closing quote for a string value');
      const code = src.charCodeAt(i);
      if (code === 0x22) {
        out += src.slice(start, i);
        this.pos = i + 1;
        return out;
      }
      if (code < 0x20) throw new JsonSyntaxError(`Illegal unquoted character ((CTRL-CHAR, code ${code})): has to be escaped using backslash to be included in string value`);
      if (code === 0x5c) {
        out += src.slice(start, i) + this.readEscape();
        start = this.pos;
        continue;
      }
      this.pos = i + 1;
    }
  }

  private readEscape(): string {
    const e = this.src[this.pos + 1];
    this.pos += 2;
    const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    if (e !== undefined && Object.hasOwn(simple, e)) return simple[e];
    if (e === 'u') {
      const hex = this.src.slice(this.pos, this.pos + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new JsonSyntaxError('Unexpected character in unicode escape: expected a hex-digit for character escape sequence');
      this.pos += 4;
      return String.fromCharCode(parseInt(hex, 16));
    }
    throw new JsonSyntaxError(`Unrecognized character escape ${e === undefined ? 'EOF' : `'${e}' (code ${e.charCodeAt(0)})`}`);
  }

  private skipSpace(): void {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.pos++;
    }
  }

  private unexpected(what: string): never {
    const c = this.src[this.pos];
    if (c === undefined) throw new JsonSyntaxError(`Unexpected end-of-input: ${what}`);
    const cp = this.src.codePointAt(this.pos) ?? 0;
    throw new JsonSyntaxError(`Unexpected character ('${String.fromCodePoint(cp)}' (code ${cp})): ${what}`);
  }
}
