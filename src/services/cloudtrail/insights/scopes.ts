/**
 * What to evaluate: per account, each (source category, insight type) that a logging trail selects,
 * in the trail's home region or — for a multi-region trail — every region; plus the regions where an
 * Insights event is still open, so one whose selector or trail went away still gets its End.
 * Several trails of an account share one analysis, as on AWS: the Insights event is the account's,
 * and each trail selecting its type receives it (trailSelects).
 */
import type { Trail } from '../trails/types.ts';
import type { Scope } from './queries.ts';
import type { InsightType, SeriesKey, SourceCategory } from './record.ts';

export interface EvaluationScope extends Scope {
  /** Whether new Insights events may start in a region (a logging trail selects them there). */
  opens(region: string): boolean;
}

const scopeId = (account: string, category: SourceCategory, type: InsightType) => `${account}|${category}|${type}`;

export function scopesOf(trails: readonly Trail[], open: readonly SeriesKey[]): EvaluationScope[] {
  const byId = new Map<string, { account: string; category: SourceCategory; insightType: InsightType; all: boolean; enabled: Set<string>; extra: Set<string> }>();
  const entry = (account: string, category: SourceCategory, insightType: InsightType) => {
    const id = scopeId(account, category, insightType);
    let e = byId.get(id);
    if (!e) byId.set(id, (e = { account, category, insightType, all: false, enabled: new Set(), extra: new Set() }));
    return e;
  };
  for (const t of trails) {
    if (!t.logging) continue;
    for (const s of t.insightSelectors) {
      if (s.InsightType !== 'ApiCallRateInsight' && s.InsightType !== 'ApiErrorRateInsight') continue;
      // A selector without categories analyses management events (AWS's default).
      const categories: SourceCategory[] = s.EventCategories?.length ? s.EventCategories.filter((c): c is SourceCategory => c === 'Management' || c === 'Data') : ['Management'];
      for (const c of categories) {
        const e = entry(t.account, c, s.InsightType);
        if (t.isMultiRegionTrail) e.all = true;
        else e.enabled.add(t.region);
      }
    }
  }
  for (const k of open) entry(k.account, k.category, k.insightType).extra.add(k.region);
  return [...byId.values()].map((e) => ({
    account: e.account,
    category: e.category,
    insightType: e.insightType,
    allRegions: e.all,
    regions: [...new Set([...e.enabled, ...e.extra])].sort(),
    opens: (region: string) => e.all || e.enabled.has(region),
  }));
}
