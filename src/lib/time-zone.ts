/** Time-zone names, checked against the runtime's IANA database (Intl). */

/** True when `tz` names a time zone this runtime knows. */
export function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
