// Parameter Store helpers shared by the page's parts: links, and hierarchy paths of names.
import { href } from '../router.ts';

export const parameterLink = (params: Record<string, string | undefined>) => href('/parameters', params);

/** The hierarchy a name sits in ('' for a name outside any), to go back to. */
export const parentPath = (name: string) => (name.startsWith('/') ? name.slice(0, name.lastIndexOf('/')) : '');

/** The direct sub-paths of `path` ('/' = the root of every hierarchy) among `names`, sorted. */
export function subPaths(names: string[], path: string): string[] {
  const base = path.endsWith('/') ? path : `${path}/`;
  const out = new Set<string>();
  for (const n of names) {
    if (!n.startsWith(base)) continue;
    const rest = n.slice(base.length);
    const cut = rest.indexOf('/');
    if (cut > 0) out.add(base + rest.slice(0, cut));
  }
  return [...out].sort();
}
