/**
 * Wall-clock time in a detector's MetricTimezone, so daily and weekly seasonality follow local
 * time across daylight-saving changes (Configuration.MetricTimezone, an IANA name; UTC by default).
 */

/** Maps epoch ms to "local epoch ms" (UTC fields = local wall clock); offsets cached per hour. */
export function localClock(tz: string | undefined): (t: number) => number {
  if (tz === undefined || tz === 'UTC' || tz === 'Etc/UTC') return (t) => t;
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const offsets = new Map<number, number>();
  const offsetAt = (t: number): number => {
    const hour = Math.floor(t / 3_600_000);
    let off = offsets.get(hour);
    if (off === undefined) {
      const at = hour * 3_600_000;
      const p = Object.fromEntries(fmt.formatToParts(new Date(at)).map((x) => [x.type, Number(x.value)]));
      off = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - at;
      offsets.set(hour, off);
    }
    return off;
  };
  return (t) => t + offsetAt(t);
}
