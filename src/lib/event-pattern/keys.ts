/**
 * The exact `source` / `detail-type` values a pattern requires, for indexing rules. A list is only
 * reported when every way of matching needs one of its values, so an index may skip the rule for
 * events carrying none of them; anything looser (prefix, anything-but, an IP-like string) is undefined.
 */
import type { PatternNode } from './compile.ts';

export interface PatternKeys {
  source?: string[];
  detailType?: string[];
}

export function patternKeys(root: PatternNode): PatternKeys {
  const keys: PatternKeys = {};
  const source = required(root, 'source');
  const detailType = required(root, 'detail-type');
  if (source) keys.source = source;
  if (detailType) keys.detailType = detailType;
  return keys;
}

function required(node: PatternNode, name: string): string[] | undefined {
  const direct = exactStrings(node.children?.get(name));
  if (direct) return direct;
  // An $or group where every alternative pins the field pins it too (to the union).
  for (const group of node.ors ?? []) {
    const union = new Set<string>();
    let all = true;
    for (const alt of group) {
      const values = required(alt, name);
      if (!values) {
        all = false;
        break;
      }
      for (const v of values) union.add(v);
    }
    if (all) return [...union];
  }
  return undefined;
}

function exactStrings(node: PatternNode | undefined): string[] | undefined {
  if (!node?.field) return undefined;
  const out: string[] = [];
  for (const m of node.field) {
    if (m.kind !== 'string' || m.ip !== undefined) return undefined;
    out.push(m.value);
  }
  return out;
}
