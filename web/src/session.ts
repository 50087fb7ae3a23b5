// The user's keys live in sessionStorage only: they sign requests in this tab and are never sent.
export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

const KEY = 'osprey.session';

export function loadSession(): Session | undefined {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return s?.accessKeyId && s.secretAccessKey ? s : undefined;
  } catch {
    return undefined;
  }
}

export const saveSession = (s: Session) => sessionStorage.setItem(KEY, JSON.stringify(s));
export const clearSession = () => sessionStorage.removeItem(KEY);
