/**
 * The in-process event bus: services publish AWS-shaped events (e.g. "CloudWatch Alarm State
 * Change") and consumers (EventBridge, tests) subscribe. Delivery is synchronous and best effort;
 * a consumer that needs durability persists what it receives.
 */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export type BusListener = (e: BusEvent) => void;

export class EventBus {
  private readonly listeners = new Set<BusListener>();

  subscribe(l: BusListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  publish(e: BusEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A failing consumer must not break the publisher or the other consumers.
      }
    }
  }
}
