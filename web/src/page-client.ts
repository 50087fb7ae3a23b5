// SDK clients that only one page uses, made on first use from the session's endpoint and keys:
// importing them from aws.ts would put every service's client in the bundle of every page.
import { useSession } from './app-context.ts';
import type { ClientConfig, Clients } from './aws.ts';

const made = new WeakMap<Clients, Map<(cfg: ClientConfig) => unknown, unknown>>();

/** The client `make` builds for the signed-in session, once per session (`make` must be module-level). */
export function usePageClient<T>(make: (cfg: ClientConfig) => T): T {
  const c = useSession();
  let byMaker = made.get(c);
  if (!byMaker) made.set(c, (byMaker = new Map()));
  if (!byMaker.has(make)) byMaker.set(make, make(c.config));
  return byMaker.get(make) as T;
}
