/**
 * The cache behind the compiled plans (decode-plan.ts, encode-plan.ts, validity-plan.ts): per model
 * one function per shape name, compiled on first use. A recursive shape meets itself while being
 * compiled; it gets a forwarder to the finished plan, everyone else the plan itself.
 */
import type { DocumentFormat } from './json-codec.ts';
import type { ServiceModel } from './models/types.ts';

export type PlanFor<F> = (model: ServiceModel, shapeName: string) => F;
type Compile<F> = (model: ServiceModel, shapeName: string, plan: (shapeName: string) => F) => F;

/** `compile(model, shapeName, plan)` builds one shape's function; `plan` gives the functions of the shapes it refers to. */
export function planCache<F extends (value: unknown) => unknown>(compile: Compile<F>): PlanFor<F> {
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

/** The same, with one cache per document format (JSON, CBOR): the codecs' plans depend on it. */
export function planCacheByFormat<F extends (value: unknown) => unknown>(
  compile: (format: DocumentFormat) => Compile<F>,
): (model: ServiceModel, shapeName: string, format: DocumentFormat) => F {
  const byFormat = new WeakMap<DocumentFormat, PlanFor<F>>();
  return (model, shapeName, format) => {
    let planFor = byFormat.get(format);
    if (planFor === undefined) byFormat.set(format, (planFor = planCache(compile(format))));
    return planFor(model, shapeName);
  };
}
