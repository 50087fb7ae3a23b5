/**
 * SyntheticsLogHelper: redacts what AWS documents as sensitive before it reaches logs, reports and
 * HAR files — URL passwords (unless includeUrlPassword), the query parameters named in
 * restrictedUrlParameters ('*' = all of them), and the headers named in restrictedHeaders.
 */
import type { ConfigValues, SyntheticsConfiguration } from './config.ts';

export const REDACTED = 'REDACTED';

type Options = Pick<ConfigValues, 'includeUrlPassword' | 'restrictedUrlParameters' | 'restrictedHeaders'>;

/** The URL with its sensitive parts replaced; throws on a string that is not a URL, as AWS's does. */
export function sanitizeUrl(url: string, opts: Options): string {
  const u = new URL(url);
  if (u.password && !opts.includeUrlPassword) u.password = REDACTED;
  const restricted = new Set(opts.restrictedUrlParameters.map((p) => p.toLowerCase()));
  if (restricted.size === 0 || u.search === '') return u.toString();
  const all = restricted.has('*');
  // Rebuilt by hand rather than through URLSearchParams so the untouched pairs keep their encoding.
  const query = u.search
    .slice(1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return all || restricted.has(decodeURIComponent(name).toLowerCase()) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  const hash = u.hash;
  u.search = '';
  u.hash = '';
  return `${u.toString()}?${query}${hash}`;
}

/** Replaces every URL inside a message (or an Error's message) by its sanitized form. */
export function sanitizeErrorMessage(error: unknown, opts: Options): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\bhttps?:\/\/[^\s'"<>]+/g, (m) => {
    try {
      return sanitizeUrl(m, opts);
    } catch {
      return m;
    }
  });
}

/** A copy of the headers with the restricted ones' values replaced (names compared case-blind). */
export function sanitizeHeaders(headers: Record<string, unknown> | undefined, opts: Options): Record<string, string> {
  const restricted = new Set(opts.restrictedHeaders.map((h) => h.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    out[name] = restricted.has(name.toLowerCase()) ? REDACTED : Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** The object scripts get from `require('SyntheticsLogHelper')`, bound to the run's configuration. */
export class SyntheticsLogHelper {
  constructor(private readonly config: SyntheticsConfiguration) {}

  getSanitizedUrl(url: string, stepConfig?: Partial<Record<string, unknown>>): string {
    return sanitizeUrl(url, this.config.merged(stepConfig));
  }

  getSanitizedErrorMessage(error: unknown, stepConfig?: Partial<Record<string, unknown>>): string {
    return sanitizeErrorMessage(error, this.config.merged(stepConfig));
  }

  getSanitizedHeaders(headers: Record<string, unknown>, stepConfig?: Partial<Record<string, unknown>>): Record<string, string> {
    return sanitizeHeaders(headers, this.config.merged(stepConfig));
  }
}
