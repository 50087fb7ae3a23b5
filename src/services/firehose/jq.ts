/**
 * The part of jq 1.6 that MetadataExtraction queries are written in: an object construction whose
 * values are plain paths — `{customer_id: .customer_id, device: .type.device, first: .items[0],
 * "odd key": .["a b"]}`. Anything else is refused at CreateDeliveryStream with a JqError naming
 * what Osprey supports, rather than accepted and failing every record later.
 */
export class JqError extends Error {}

type Step = string | number;
export interface MetadataQuery {
  keys: { name: string; path: Step[] }[];
}

const SUPPORTED = 'Osprey supports an object of plain paths, e.g. {customer_id: .customer_id, device: .type.device}';

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (/\s/.test(this.s[this.i] ?? '')) this.i++;
  }

  private fail(what: string): never {
    throw new JqError(`unsupported jq query at position ${this.i} (${what}): ${SUPPORTED}.`);
  }

  private eat(c: string): boolean {
    this.ws();
    if (this.s[this.i] !== c) return false;
    this.i++;
    return true;
  }

  private string(): string {
    const m = /^"((?:[^"\\]|\\.)*)"/.exec(this.s.slice(this.i));
    if (!m) this.fail('expected a string');
    this.i += m[0].length;
    return JSON.parse(m[0]) as string;
  }

  private ident(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i));
    if (!m) this.fail('expected a name');
    this.i += m[0].length;
    return m[0];
  }

  private path(): Step[] {
    this.ws();
    if (this.s[this.i] !== '.') this.fail('values must be paths starting with "."');
    const steps: Step[] = [];
    this.i++;
    for (let first = true; ; first = false) {
      const c = this.s[this.i];
      if (c === '[') {
        this.i++;
        this.ws();
        if (this.s[this.i] === '"') steps.push(this.string());
        else {
          const m = /^\d+/.exec(this.s.slice(this.i));
          if (!m) this.fail('expected an index or a quoted key inside []');
          steps.push(Number(m[0]));
          this.i += m[0].length;
        }
        if (!this.eat(']')) this.fail('expected ]');
      } else if (c === '"') steps.push(this.string());
      else if (/[A-Za-z_]/.test(c ?? '')) steps.push(this.ident());
      else if (!first || steps.length > 0) break;
      else this.fail('"." alone is not a key value');
      if (this.s[this.i] === '.') this.i++;
      else if (this.s[this.i] !== '[') break;
    }
    return steps;
  }

  parse(): MetadataQuery {
    if (!this.eat('{')) this.fail('the query must be an object construction {key: .path, …}');
    const keys: MetadataQuery['keys'] = [];
    do {
      this.ws();
      const name = this.s[this.i] === '"' ? this.string() : this.ident();
      if (!this.eat(':')) this.fail('expected ":" after a key');
      keys.push({ name, path: this.path() });
    } while (this.eat(','));
    if (!this.eat('}')) this.fail('expected "," or "}"');
    this.ws();
    if (this.i !== this.s.length) this.fail('unexpected text after the object');
    return { keys };
  }
}

export function parseMetadataQuery(query: string): MetadataQuery {
  return new Parser(query).parse();
}

/** A record whose key is missing, null or not a scalar cannot be partitioned. */
export class ExtractionError extends Error {}

/** The partition keys of one JSON record. */
export function extractKeys(q: MetadataQuery, record: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(record);
  } catch {
    throw new ExtractionError('Non JSON record provided');
  }
  const out: Record<string, string> = {};
  for (const { name, path } of q.keys) {
    let v: unknown = doc;
    for (const step of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[step] : undefined;
    if (v === undefined || v === null) throw new ExtractionError(`partitionKey ${name} has a null value in the record`);
    if (typeof v === 'object') throw new ExtractionError(`partitionKey ${name} is not a scalar value`);
    out[name] = String(v);
  }
  return out;
}
