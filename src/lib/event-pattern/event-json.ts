/**
 * Event JSON read with number spellings kept (RawNumber), for matchesJson. Returns undefined for
 * text that is not a JSON object: such an event matches nothing, it is not an error of the pattern.
 */
import { JsonLexer, type Tok } from './json-lexer.ts';
import { RawNumber, comparableValue } from './numbers.ts';

export function parseEventJson(text: string): Record<string, unknown> | undefined {
  const lx = new JsonLexer(text);
  try {
    if (lx.next() !== 'startObject') return undefined;
    return readObject(lx);
  } catch {
    return undefined;
  }
}

function readValue(lx: JsonLexer, t: Tok): unknown {
  switch (t) {
    case 'startObject':
      return readObject(lx);
    case 'startArray': {
      const out: unknown[] = [];
      for (let n = lx.next(); n !== 'endArray'; n = lx.next()) out.push(readValue(lx, n));
      return out;
    }
    case 'string':
      return lx.text;
    case 'number':
      return new RawNumber(lx.text, comparableValue(lx.text));
    case 'true':
      return true;
    case 'false':
      return false;
    case 'null':
      return null;
    default:
      throw new Error(`unexpected ${t}`);
  }
}

function readObject(lx: JsonLexer): Record<string, unknown> {
  // No prototype, so a "__proto__" key is data like any other.
  const obj = Object.create(null) as Record<string, unknown>;
  for (let t = lx.next(); t !== 'endObject'; t = lx.next()) {
    const key = lx.text;
    obj[key] = readValue(lx, lx.next());
  }
  return obj;
}
