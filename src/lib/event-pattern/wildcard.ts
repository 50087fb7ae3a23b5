/**
 * `wildcard` patterns: `*` matches any run of characters, `\*` and `\\` are literal, any other
 * backslash and `**` are refused. Positions in messages are UTF-8 byte offsets counted from the
 * opening quote, because event-ruler parses the quoted value; AWS echoes them unchanged.
 */
import { invalid } from './errors.ts';

/** Literal pieces between the stars: "a*b*" → ["a", "b", ""]; a single piece means no star. */
export type Wildcard = readonly string[];

const utf8 = new TextEncoder();
const decoder = new TextDecoder();

export function parseWildcard(text: string): Wildcard {
  const bytes = utf8.encode(text);
  const pieces: string[] = [];
  let current: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x2a) {
      if (bytes[i + 1] === 0x2a) invalid(`Consecutive wildcard characters at pos ${i + 1}`);
      pieces.push(decoder.decode(Uint8Array.from(current)));
      current = [];
    } else if (b === 0x5c) {
      const next = bytes[i + 1];
      if (next !== 0x2a && next !== 0x5c) invalid(`Invalid escape character at pos ${i + 1}`);
      current.push(next);
      i++;
    } else {
      current.push(b);
    }
  }
  pieces.push(decoder.decode(Uint8Array.from(current)));
  return pieces;
}

/** Glob match without backtracking blow-up: the first piece anchors the start, the last the end, the middle ones are found leftmost. */
export function matchWildcard(w: Wildcard, s: string): boolean {
  if (w.length === 1) return s === w[0];
  const first = w[0];
  const last = w[w.length - 1];
  if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
  let at = first.length;
  const end = s.length - last.length;
  for (let i = 1; i < w.length - 1; i++) {
    const found = s.indexOf(w[i], at);
    if (found < 0 || found + w[i].length > end) return false;
    at = found + w[i].length;
  }
  return true;
}

/**
 * AWS refuses wildcard rules whose matcher would be too non-deterministic ("Rule is too complex").
 * We measure what event-ruler's MachineComplexityEvaluator measures: the largest number of
 * automaton states that some input keeps alive at once, over all wildcard patterns of one field.
 */
export const WILDCARD_COMPLEXITY_LIMIT = 10;
const MAX_SUBSETS = 50_000;

export function checkWildcardComplexity(patterns: readonly Wildcard[]): void {
  if (patterns.length === 0 || wildcardComplexity(patterns) <= WILDCARD_COMPLEXITY_LIMIT) return;
  invalid('Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character');
}

/** Tokens of the quoted pattern: a char code, or -1 for a star. */
function tokens(w: Wildcard): number[] {
  const out = [0x22];
  w.forEach((piece, i) => {
    if (i > 0) out.push(-1);
    for (const ch of piece) out.push(ch.codePointAt(0) ?? 0);
  });
  out.push(0x22);
  return out;
}

export function wildcardComplexity(patterns: readonly Wildcard[]): number {
  const toks = patterns.filter((w) => w.length > 1).map(tokens);
  if (toks.length === 0) return 0;
  // A state is "pattern p has matched t[0..j)", encoded p * STRIDE + j; a star at t[j] reaches j+1 without input.
  const STRIDE = 1 + Math.max(...toks.map((t) => t.length));
  const tok = (s: number): number | undefined => toks[Math.floor(s / STRIDE)][s % STRIDE];
  const close = (set: Set<number>): Set<number> => {
    for (const s of set) if (tok(s) === -1) set.add(s + 1);
    return set;
  };
  const start = close(new Set(toks.map((_, p) => p * STRIDE)));
  const seen = new Set<string>([[...start].sort((x, y) => x - y).join()]);
  const queue = [start];
  let worst = start.size;
  while (queue.length > 0) {
    const set = queue.pop() as Set<number>;
    // Only the characters some live state expects can move a state forward; -2 stands for all others.
    const inputs = new Set<number>([-2]);
    for (const s of set) {
      const t = tok(s);
      if (t !== undefined && t >= 0) inputs.add(t);
    }
    for (const c of inputs) {
      const next = new Set<number>();
      for (const s of set) {
        const t = tok(s);
        if (t === -1) next.add(s);
        else if (t === c) next.add(s + 1);
      }
      if (next.size === 0) continue;
      close(next);
      worst = Math.max(worst, next.size);
      if (worst > WILDCARD_COMPLEXITY_LIMIT) return worst;
      const id = [...next].sort((x, y) => x - y).join();
      if (seen.has(id)) continue;
      if (seen.size >= MAX_SUBSETS) return WILDCARD_COMPLEXITY_LIMIT + 1;
      seen.add(id);
      queue.push(next);
    }
  }
  return worst;
}
