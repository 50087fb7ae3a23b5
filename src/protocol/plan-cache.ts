/**
 * The cache behind the compiled plans (decode-plan.ts, encode-plan.ts, validity-plan.ts): per model
 * one function per shape name, compiled on first use. A recursive shape meets itself while being
 * compiled; it gets a forwarder to the finished plan, everyone else the plan itself.
 */
import type { ServiceModel } from './models/types.ts';

export type PlanFor<F> = (model: ServiceModel, shapeName: string) => F;

/** `compile(model, shapeName, plan)` builds one shape's function; `plan` gives the functions of the shapes it refers to. */
export function planCache<F extends (value: unknown) => unknown>(
  compile: (model: ServiceModel, shapeName: string, plan: (shapeName: string) => F) => F,
): PlanFor<F> {
  const byModel = new WeakMap<ServiceModel, Map<string, F>>();
  const planFor = (model: ServiceModel, shapeName: string): F => {
    let byShape = byModel.get(model);
    if (byShape === undefined) byModel.set(model, (byShape = new Map()));
    const known = byShape.get(shapeName);
    if (known !== undefined) return known;
    const forward: { to?: F } = {};
    byShape.set(shapeName, ((value: unknown) => forward.to!(value)) as F);
    const finished = compile(model, shapeName, (name) => planFor(model, name));
    forward.to = finished;
    byShape.set(shapeName, finished);
    return finished;
  };
  return planFor;
}
