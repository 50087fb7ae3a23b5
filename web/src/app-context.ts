import { createContext, useContext } from 'react';
import type { Clients } from './aws.ts';

export const ClientsContext = createContext<Clients | undefined>(undefined);

/** The signed-in SDK clients; pages only render inside a session. */
export function useSession(): Clients {
  const c = useContext(ClientsContext);
  if (!c) throw new Error('no session');
  return c;
}
