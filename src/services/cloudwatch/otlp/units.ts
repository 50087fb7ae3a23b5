/**
 * OpenTelemetry units (UCUM case-sensitive codes, as the semantic conventions write them) → the
 * CloudWatch StandardUnit with the same meaning. A unit CloudWatch has no name for (ns, min, an
 * unknown code) is stored as 'None': the values are kept as sent, never rescaled.
 */
const UNITS: Record<string, string> = {
  s: 'Seconds', ms: 'Milliseconds', us: 'Microseconds',
  By: 'Bytes', kBy: 'Kilobytes', KBy: 'Kilobytes', MBy: 'Megabytes', GBy: 'Gigabytes', TBy: 'Terabytes',
  bit: 'Bits', kbit: 'Kilobits', Kbit: 'Kilobits', Mbit: 'Megabits', Gbit: 'Gigabits', Tbit: 'Terabits',
  'By/s': 'Bytes/Second', 'kBy/s': 'Kilobytes/Second', 'KBy/s': 'Kilobytes/Second', 'MBy/s': 'Megabytes/Second',
  'GBy/s': 'Gigabytes/Second', 'TBy/s': 'Terabytes/Second',
  'bit/s': 'Bits/Second', 'kbit/s': 'Kilobits/Second', 'Kbit/s': 'Kilobits/Second', 'Mbit/s': 'Megabits/Second',
  'Gbit/s': 'Gigabits/Second', 'Tbit/s': 'Terabits/Second',
  '%': 'Percent', '1': 'None', '': 'None',
};

export function cloudWatchUnit(otel: string): string {
  const known = UNITS[otel];
  if (known !== undefined) return known;
  // `{requests}`, `{request}/s`: UCUM annotations name what is counted.
  if (/^\{[^}]*\}$/.test(otel)) return 'Count';
  if (/^\{[^}]*\}\/s$/.test(otel)) return 'Count/Second';
  return 'None';
}
