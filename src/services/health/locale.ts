/** AWS Health answers in English only: "English (en) is the default and the only supported value". */
import { ServiceError } from '../../protocol/errors.ts';

export function checkLocale(locale: string | undefined): void {
  if (locale === undefined || /^en([-_][A-Za-z0-9]+)*$/.test(locale)) return;
  throw new ServiceError('UnsupportedLocale', `The locale '${locale}' is not supported. English (en) is the only supported locale.`);
}
