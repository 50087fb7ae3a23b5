/**
 * How a sampling rule's reservoir (traces per second across the whole fleet) is split among the
 * SDK instances that apply it. Each instance reports its RequestCount for the rule every ~10 s
 * (GetSamplingTargets); X-Ray "distributes the reservoir across instances based on request volume"
 * and answers each instance its ReservoirQuota, valid until ReservoirQuotaTTL. Until an instance
 * has a quota it borrows one trace per second (the SDK's own rule), which is why a new instance is
 * not starved.
 *
 * Shares are proportional to each instance's requests in the last report window, rounded by the
 * largest-remainder method so the quotas add up to the reservoir exactly (never more). Soft state:
 * after a restart instances borrow again for one interval, as after an X-Ray failover.
 */

/** The polling interval X-Ray tells SDKs to use (seconds). */
export const TARGET_INTERVAL_SECONDS = 10;
/** An instance that has not reported for this long no longer takes a share. */
const ACTIVE_SECONDS = 3 * TARGET_INTERVAL_SECONDS;

interface ClientState {
  requests: number;
  lastSeen: number;
}

export interface Quota {
  quota: number;
  /** Epoch seconds until which the quota holds. */
  ttl: number;
}

export class ReservoirAllocator {
  /** rule key (account/region/rule) → client id → its latest report. */
  private readonly rules = new Map<string, Map<string, ClientState>>();

  /** Records one instance's statistics document for a rule. */
  report(ruleKey: string, clientId: string, requestCount: number, now: number): void {
    let clients = this.rules.get(ruleKey);
    if (!clients) this.rules.set(ruleKey, (clients = new Map()));
    clients.set(clientId, { requests: Math.max(0, requestCount), lastSeen: now });
  }

  /** This instance's share of `reservoirSize` per second. */
  quota(ruleKey: string, clientId: string, reservoirSize: number, now: number): Quota {
    const ttl = now + TARGET_INTERVAL_SECONDS;
    const clients = this.active(ruleKey, now);
    if (!clients.has(clientId) || reservoirSize <= 0) return { quota: 0, ttl };
    return { quota: shares(clients, reservoirSize).get(clientId) ?? 0, ttl };
  }

  /** Forgets a deleted rule. */
  forget(ruleKey: string): void {
    this.rules.delete(ruleKey);
  }

  private active(ruleKey: string, now: number): Map<string, ClientState> {
    const clients = this.rules.get(ruleKey) ?? new Map<string, ClientState>();
    for (const [id, c] of clients) if (now - c.lastSeen > ACTIVE_SECONDS) clients.delete(id);
    return clients;
  }
}

/** Largest-remainder apportionment of `total` by request volume (equal shares when nobody had requests). */
function shares(clients: ReadonlyMap<string, ClientState>, total: number): Map<string, number> {
  const entries = [...clients.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const volume = entries.reduce((sum, [, c]) => sum + c.requests, 0);
  const weight = (c: ClientState): number => (volume === 0 ? 1 / entries.length : c.requests / volume);
  const exact = entries.map(([id, c]) => ({ id, exact: total * weight(c) }));
  const out = new Map(exact.map((e) => [e.id, Math.floor(e.exact)]));
  let left = total - [...out.values()].reduce((a, b) => a + b, 0);
  for (const e of [...exact].sort((a, b) => (b.exact % 1) - (a.exact % 1))) {
    if (left <= 0) break;
    out.set(e.id, out.get(e.id)! + 1);
    left--;
  }
  return out;
}
