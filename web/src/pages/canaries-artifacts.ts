// What a canary run's artifacts mean, without React: which file is the report, the HAR, the log;
// the report's steps; screenshots grouped with their visual-monitoring base and diff images; and
// the HAR's requests as waterfall rows. Lenient by design: the files come from user scripts and
// runtime versions, so a missing field shows as "—" rather than failing the run view.

export interface RunFiles {
  /** SyntheticsReport-PASSED.json / -FAILED.json. */
  report?: string;
  har?: string;
  /** The HAR's HTML rendering, offered as a download. */
  harHtml?: string;
  logs: string[];
  images: string[];
  other: string[];
}

export function classifyArtifacts(names: string[]): RunFiles {
  const out: RunFiles = { logs: [], images: [], other: [] };
  for (const n of [...names].sort()) {
    const base = n.split('/').pop()!;
    if (!out.report && /^SyntheticsReport.*\.json$/i.test(base)) out.report = n;
    else if (!out.har && /\.har$/i.test(base)) out.har = n;
    else if (!out.harHtml && /\.har\.html$/i.test(base)) out.harHtml = n;
    else if (/\.(txt|log)$/i.test(base)) out.logs.push(n);
    else if (/\.(png|jpe?g|webp)$/i.test(base)) out.images.push(n);
    else out.other.push(n);
  }
  return out;
}

export interface Step {
  name: string;
  status: string;
  failureReason?: string;
  start?: number;
  end?: number;
  screenshots: string[];
}

export interface Report {
  status?: string;
  failureReason?: string;
  steps: Step[];
}

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const time = (v: unknown): number | undefined => {
  const t = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : undefined;
};

/** A SyntheticsReport: steps at the top level or under customerScript; screenshots as names or {fileName}. */
export function parseReport(doc: unknown): Report {
  const d = (doc ?? {}) as Json;
  const script = (d.customerScript ?? {}) as Json;
  const steps = (Array.isArray(d.steps) ? d.steps : Array.isArray(script.steps) ? script.steps : []) as Json[];
  return {
    status: str(d.status) ?? str(script.status),
    failureReason: str(d.failureReason) ?? str(script.failureReason),
    steps: steps.map((s, i) => ({
      name: str(s.stepName) ?? str(s.name) ?? `Step ${i + 1}`,
      status: str(s.status) ?? '—',
      failureReason: str(s.failureReason),
      start: time(s.startTime),
      end: time(s.endTime),
      screenshots: (Array.isArray(s.screenshots) ? s.screenshots : [])
        .map((x: unknown) => (typeof x === 'string' ? x : str((x as Json | null)?.fileName)))
        .filter((x): x is string => x !== undefined),
    })),
  };
}

/** One screenshot with, under visual monitoring, the base it was compared with and the diff image. */
export interface ScreenshotGroup {
  key: string;
  current?: string;
  base?: string;
  diff?: string;
}

// A word of the file name ("-diff", "base_", ".baseline."), not any "base" inside one ("database").
const TOKEN = (word: string) => new RegExp(`(^|[-_./])(${word})(?=[-_./]|$)`, 'g');
const BASE = TOKEN('baseline|base');
const DIFF = TOKEN('diff');

const stem = (name: string): string => name.toLowerCase().replace(/\.(png|jpe?g|webp)$/, '');

const role = (name: string): 'base' | 'diff' | 'current' => {
  const s = stem(name);
  if (s.match(DIFF)) return 'diff';
  if (s.match(BASE)) return 'base';
  return 'current';
};

/**
 * The name a base or diff image shares with its screenshot once the words "base"/"baseline"/"diff"
 * are dropped (a base image may sit in a folder of its own: only the file name counts).
 */
const groupKey = (name: string): string => stem(name.split('/').pop()!)
  .replace(BASE, '').replace(DIFF, '')
  .replace(/^[-_.]+|[-_.]+$/g, '');

/** Images in file order, each base/diff image next to the screenshot it belongs to. */
export function screenshotGroups(images: string[]): ScreenshotGroup[] {
  const groups = new Map<string, ScreenshotGroup>();
  for (const name of images) {
    const key = groupKey(name) || name;
    const g = groups.get(key) ?? { key };
    const r = role(name);
    // Two images in one role (an unlucky name): keep both, the second in a group of its own.
    if (g[r]) groups.set(name, { key: name, [r]: name });
    else groups.set(key, { ...g, [r]: name });
  }
  return [...groups.values()];
}

export interface HarRow {
  method: string;
  url: string;
  status: number;
  mimeType?: string;
  /** Milliseconds after the first request started. */
  offset: number;
  duration: number;
  size?: number;
}

/** HAR 1.2 entries → waterfall rows, ordered by start. */
export function harRows(doc: unknown): HarRow[] {
  const entries = (((doc ?? {}) as Json).log as Json | undefined)?.entries;
  if (!Array.isArray(entries)) return [];
  const rows = (entries as Json[]).map((e) => {
    const req = (e.request ?? {}) as Json;
    const res = (e.response ?? {}) as Json;
    const content = (res.content ?? {}) as Json;
    return {
      start: time(e.startedDateTime) ?? 0,
      method: str(req.method) ?? 'GET',
      url: str(req.url) ?? '',
      status: typeof res.status === 'number' ? res.status : 0,
      mimeType: str(content.mimeType),
      duration: typeof e.time === 'number' && e.time >= 0 ? e.time : 0,
      size: typeof content.size === 'number' && content.size >= 0 ? content.size : undefined,
    };
  }).sort((a, b) => a.start - b.start);
  const t0 = rows[0]?.start ?? 0;
  return rows.map(({ start, ...r }) => ({ ...r, offset: start - t0 }));
}
