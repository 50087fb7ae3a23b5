/** A cursor over DDL tokens with the small vocabulary the statement parser needs. */
import { AthenaSqlError } from '../sql/errors.ts';
import { lineCol, tokenize, type Token } from './lexer.ts';

export class TokenStream {
  private readonly tokens: Token[];
  private i = 0;

  constructor(readonly src: string) {
    this.tokens = tokenize(src);
  }

  get done(): boolean {
    // A trailing semicolon ends the statement, as in Athena's console.
    return this.i >= this.tokens.length || (this.i === this.tokens.length - 1 && this.tokens[this.i]!.text === ';');
  }

  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }

  /** True (and consumed) when the next tokens are these keywords. */
  accept(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) {
      const t = this.tokens[this.i + k];
      if (!t || t.kind !== 'word' || t.upper !== words[k]) return false;
    }
    this.i += words.length;
    return true;
  }

  expect(...words: string[]): void {
    if (!this.accept(...words)) this.fail(`Expecting: '${words.join(' ')}'`);
  }

  acceptPunct(p: string): boolean {
    const t = this.tokens[this.i];
    if (t?.kind === 'punct' && t.text === p) {
      this.i++;
      return true;
    }
    return false;
  }

  expectPunct(p: string): void {
    if (!this.acceptPunct(p)) this.fail(`Expecting: '${p}'`);
  }

  /** An identifier: a word or a back-quoted name, lower-cased as Athena's catalog keeps names. */
  ident(what = 'an identifier'): string {
    const t = this.tokens[this.i];
    if (t?.kind === 'word' || t?.kind === 'quoted') {
      this.i++;
      return t.text.toLowerCase();
    }
    // Double-quoted identifiers are Trino's; Athena accepts them in DDL names too.
    if (t?.kind === 'string' && this.src[t.at] === '"') {
      this.i++;
      return t.text.toLowerCase();
    }
    return this.fail(`Expecting: ${what}`);
  }

  /** `[db.]name` */
  qualified(): { db?: string; name: string } {
    const first = this.ident('a table name');
    if (this.acceptPunct('.')) return { db: first, name: this.ident('a table name') };
    return { name: first };
  }

  string(what = 'a string literal'): string {
    const t = this.tokens[this.i];
    if (t?.kind !== 'string') return this.fail(`Expecting: ${what}`);
    this.i++;
    return t.text;
  }

  /** A string or number literal's text (partition values may be written either way). */
  literal(what: string): string {
    const t = this.tokens[this.i];
    if (t?.kind === 'number') {
      this.i++;
      return t.text;
    }
    return this.string(what);
  }

  /** `('k'='v', …)` */
  properties(): Record<string, string> {
    const out: Record<string, string> = {};
    this.expectPunct('(');
    if (this.acceptPunct(')')) return out;
    do {
      const k = this.string('a property name');
      this.expectPunct('=');
      out[k] = this.string('a property value');
    } while (this.acceptPunct(','));
    this.expectPunct(')');
    return out;
  }

  /**
   * The raw text of a column type, up to the `,` / `)` / COMMENT that ends it at depth 0: types
   * nest with `<>` and `()`.
   */
  typeText(): string {
    const start = this.tokens[this.i];
    if (!start) return this.fail('Expecting: a column type');
    let depth = 0;
    let end = start.at;
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i]!;
      if (depth === 0 && ((t.kind === 'punct' && (t.text === ',' || t.text === ')')) || (t.kind === 'word' && t.upper === 'COMMENT'))) break;
      if (t.kind === 'punct' && (t.text === '<' || t.text === '(')) depth++;
      if (t.kind === 'punct' && (t.text === '>' || t.text === ')')) depth--;
      end = t.at + (t.kind === 'quoted' ? t.text.length + 2 : t.text.length);
      this.i++;
    }
    return this.src.slice(start.at, end);
  }

  /** The rest of the statement's text from the next token (a view's query). */
  rest(): string {
    const t = this.tokens[this.i];
    if (!t) return this.fail('Expecting: a query');
    this.i = this.tokens.length;
    return this.src.slice(t.at).replace(/;\s*$/, '');
  }

  fail(message: string): never {
    const t = this.tokens[this.i];
    const where = t ? lineCol(this.src, t.at) : lineCol(this.src, this.src.length);
    const found = t ? `mismatched input '${t.text.slice(0, 40)}'` : "mismatched input '<EOF>'";
    throw new AthenaSqlError('SYNTAX_ERROR', `line ${where}: ${found}. ${message}`);
  }
}
