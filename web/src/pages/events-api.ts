// EventBridge listings as the console reads them: the SDK has no paginators for EventBridge, so
// each listing follows NextToken here; and the per-entry failures PutTargets / PutEvents report in a
// 200 answer are turned into errors the page can show like any other.
import {
  ListEventBusesCommand, ListRulesCommand, ListTargetsByRuleCommand, ListArchivesCommand, ListReplaysCommand,
  type EventBridgeClient, type EventBus, type Rule, type Target, type Archive, type Replay,
} from '@aws-sdk/client-eventbridge';

/** The bus every account has; it cannot be deleted and is the only one that takes scheduled rules. */
export const DEFAULT_BUS = 'default';

async function all<T>(page: (token?: string) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const r = await page(token);
    out.push(...(r.items ?? []));
    token = r.next;
  } while (token);
  return out;
}

export const listBuses = (c: EventBridgeClient): Promise<EventBus[]> =>
  all(async (NextToken) => {
    const r = await c.send(new ListEventBusesCommand({ NextToken }));
    return { items: r.EventBuses, next: r.NextToken };
  });

export const listRules = (c: EventBridgeClient, bus: string): Promise<Rule[]> =>
  all(async (NextToken) => {
    const r = await c.send(new ListRulesCommand({ EventBusName: bus, NextToken }));
    return { items: r.Rules, next: r.NextToken };
  });

export const listTargets = (c: EventBridgeClient, bus: string, rule: string): Promise<Target[]> =>
  all(async (NextToken) => {
    const r = await c.send(new ListTargetsByRuleCommand({ EventBusName: bus, Rule: rule, NextToken }));
    return { items: r.Targets, next: r.NextToken };
  });

export const listArchives = (c: EventBridgeClient, busArn: string): Promise<Archive[]> =>
  all(async (NextToken) => {
    const r = await c.send(new ListArchivesCommand({ EventSourceArn: busArn, NextToken }));
    return { items: r.Archives, next: r.NextToken };
  });

export const listReplays = (c: EventBridgeClient): Promise<Replay[]> =>
  all(async (NextToken) => {
    const r = await c.send(new ListReplaysCommand({ NextToken }));
    return { items: r.Replays, next: r.NextToken };
  });

/** An entry-level failure of a batch call, shaped like an SDK error so ErrorBox shows its code. */
export class EntryError extends Error {
  constructor(code: string | undefined, message: string | undefined) {
    super(message ?? 'The entry failed');
    this.name = code ?? 'EntryFailed';
  }
}

/** Throws the first failed entry of a PutTargets / PutEvents answer. */
export function throwFailed(entries: { ErrorCode?: string; ErrorMessage?: string }[] | undefined): void {
  const failed = entries?.find((e) => e.ErrorCode);
  if (failed) throw new EntryError(failed.ErrorCode, failed.ErrorMessage);
}

/** Pretty-prints JSON text for display; text that is not JSON is shown as is. */
export function prettyJson(text: string | undefined): string {
  if (!text) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
