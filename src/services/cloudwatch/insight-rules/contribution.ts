/**
 * What one log event contributes to a rule: its key values and the value it adds (1 for Count,
 * the ValueOf field for Sum), or nothing when it is not JSON/CLF, lacks a key or ValueOf, or a
 * filter rejects it. Fields are read with the documented JSON property notation ($.a.b, $.a[0].b)
 * or, for CLF, by 1-based position or a `Fields` alias. Matching is case sensitive. A filter on a
 * field the event does not have rejects the event, except IsPresent: false.
 */
import type { RuleDefinition, RuleFilter } from './definition.ts';

type Path = (string | number)[];
type Reader = (event: string) => ((path: Path) => unknown) | undefined;

export interface CompiledRule {
  /** null: the event does not contribute. */
  contribute(message: string): { key: string; value: number } | null;
}

export function compileRule(d: RuleDefinition): CompiledRule {
  const ref = d.LogFormat === 'JSON' ? jsonPath : clfPath(d.Fields ?? {});
  const keys = d.Contribution.Keys.map(ref);
  const valueOf = d.Contribution.ValueOf === undefined ? undefined : ref(d.Contribution.ValueOf);
  const filters = (d.Contribution.Filters ?? []).map((f) => ({ path: ref(f.Match), test: filterTest(f) }));
  const read: Reader = d.LogFormat === 'JSON' ? readJson : readClf;
  return {
    contribute(message) {
      const get = read(message);
      if (get === undefined) return null;
      for (const f of filters) if (!f.test(get(f.path))) return null;
      const parts: string[] = [];
      for (const k of keys) {
        const v = get(k);
        if (v === undefined || (typeof v === 'object' && v !== null)) return null;
        parts.push(String(v));
      }
      let value = 1;
      if (valueOf !== undefined) {
        const n = toNumber(get(valueOf));
        if (n === undefined) return null;
        value = n;
      }
      return { key: JSON.stringify(parts), value };
    },
  };
}

/** `$.a.b[0].c` → ['a', 'b', 0, 'c']. */
export function jsonPath(text: string): Path {
  if (!text.startsWith('$.')) throw new Error(`${text} is not in JSON property notation ($.name)`);
  const out: Path = [];
  for (const part of text.slice(2).split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m || (m[1] === '' && m[2] === '')) throw new Error(`${text} is not in JSON property notation ($.name)`);
    if (m[1] !== '') out.push(m[1]!);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

function clfPath(aliases: Record<string, string>): (text: string) => Path {
  const byName = new Map(Object.entries(aliases).map(([pos, name]) => [name, Number(pos)]));
  return (text) => {
    const pos = byName.get(text) ?? (/^[1-9]\d*$/.test(text) ? Number(text) : undefined);
    if (pos === undefined) throw new Error(`${text} is neither a CLF field position nor a name given in Fields`);
    return [pos - 1];
  };
}

function readJson(message: string): ((path: Path) => unknown) | undefined {
  if (message.charCodeAt(0) !== 123 /* { */) return undefined;
  let root: unknown;
  try {
    root = JSON.parse(message);
  } catch {
    return undefined;
  }
  return (path) => {
    let v: unknown = root;
    for (const p of path) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string | number, unknown>)[p];
    }
    return v;
  };
}

/** CLF: fields split on spaces; "[…]" and "\"…\"" are one field each, without their delimiters. */
export function clfFields(line: string): string[] {
  const out: string[] = [];
  const re = /\[([^\]]*)\]|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

function readClf(message: string): (path: Path) => unknown {
  const fields = clfFields(message);
  return (path) => fields[path[0] as number];
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && v !== '-') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function filterTest(f: RuleFilter): (v: unknown) => boolean {
  const present = (v: unknown) => v !== undefined && (v === null || typeof v !== 'object');
  const str = (v: unknown) => String(v);
  if (f.IsPresent !== undefined) return (v) => present(v) === f.IsPresent;
  if (f.In) return (v) => present(v) && f.In!.includes(str(v));
  if (f.NotIn) return (v) => present(v) && !f.NotIn!.includes(str(v));
  if (f.StartsWith) return (v) => present(v) && f.StartsWith!.some((p) => str(v).startsWith(p));
  if (f.GreaterThan !== undefined) return (v) => (toNumber(v) ?? NaN) > f.GreaterThan!;
  if (f.LessThan !== undefined) return (v) => (toNumber(v) ?? NaN) < f.LessThan!;
  const eq = (want: number | string) => (v: unknown) =>
    present(v) && (typeof want === 'number' ? toNumber(v) === want : str(v) === want);
  if (f.EqualTo !== undefined) return eq(f.EqualTo);
  const ne = eq(f.NotEqualTo!);
  return (v) => present(v) && !ne(v);
}
