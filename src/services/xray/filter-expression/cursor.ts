/** The parser's position in the token list, and the helpers every grammar rule shares. */
import { FilterExpressionError } from './errors.ts';
import type { Token } from './lexer.ts';

/** Deeper nesting than this is refused rather than risking the stack on hostile input. */
export const MAX_DEPTH = 64;

export class Cursor {
  private i = 0;
  depth = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)]!;
  }
  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  isOp(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.text === text;
  }
  isWord(lower: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'word' && t.lower === lower;
  }
  expectOp(text: string, what: string): Token {
    if (!this.isOp(text)) throw this.error(`expected '${text}' ${what}`);
    return this.next();
  }
  /** An error at the current token, naming what was found there. */
  error(reason: string, at: Token = this.peek()): FilterExpressionError {
    const found = at.kind === 'eof' ? 'the end of the expression' : `'${at.text}'`;
    return new FilterExpressionError(`${reason}, found ${found}`, at.start);
  }
  enter(at: Token): void {
    if (++this.depth > MAX_DEPTH) throw new FilterExpressionError(`nesting deeper than ${MAX_DEPTH} levels`, at.start);
  }
  leave(): void {
    this.depth--;
  }
}
