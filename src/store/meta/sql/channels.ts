/** Listeners by channel, shared by both engines' notify/listen. */
export class Channels {
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();

  add(channel: string, fn: (payload: string) => void): { first: boolean; remove: () => boolean } {
    let set = this.listeners.get(channel);
    const first = !set;
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(fn);
    return {
      first,
      remove: () => {
        set.delete(fn);
        if (set.size > 0) return false;
        this.listeners.delete(channel);
        return true;
      },
    };
  }

  names(): string[] {
    return [...this.listeners.keys()];
  }

  emit(channel: string, payload: string): void {
    for (const fn of this.listeners.get(channel) ?? []) {
      try {
        fn(payload);
      } catch {
        // A listener's bug must not stop the others (they log their own errors).
      }
    }
  }
}

/** Channel names become PostgreSQL identifiers: keep them to a safe alphabet. */
export function checkChannel(channel: string): string {
  if (!/^[a-z][a-z0-9_.]{0,62}$/.test(channel)) throw new Error(`bad channel name ${JSON.stringify(channel)}`);
  return channel;
}
