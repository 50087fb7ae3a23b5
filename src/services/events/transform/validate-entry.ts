/**
 * Per-entry checks of PutEvents. AWS reports these in the entry's ErrorCode/ErrorMessage (the call
 * itself succeeds with FailedEntryCount), so they are returned, not thrown. Texts are AWS's, as
 * recorded by LocalStack's validated test_events snapshots.
 */
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

export interface EntryRefusal {
  errorCode: 'InvalidArgument' | 'MalformedDetail';
  errorMessage: string;
}

const required = (name: string): EntryRefusal => ({
  errorCode: 'InvalidArgument',
  errorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.`,
});

const isMissing = (v: string | undefined): boolean => v === undefined || v === '';

/** Detail must parse to a JSON object: a string, an array or a serialised string is malformed. */
export function isJsonObjectText(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/**
 * The entry's refusal, or its Detail parsed — PutEvents builds the event from that object, so a
 * (possibly 256 KB) Detail is parsed once.
 */
export function checkPutEventsEntry(entry: PutEventsRequestEntry): { refusal: EntryRefusal } | { detail: { [key: string]: unknown } } {
  if (isMissing(entry.Source)) return { refusal: required('Source') };
  if (isMissing(entry.DetailType)) return { refusal: required('DetailType') };
  if (isMissing(entry.Detail)) return { refusal: required('Detail') };
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail!);
  } catch {
    detail = undefined;
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return { refusal: { errorCode: 'MalformedDetail', errorMessage: 'Detail is malformed.' } };
  }
  return { detail: detail as { [key: string]: unknown } };
}

/** undefined when the entry is acceptable; otherwise what AWS puts in its result entry. */
export function validatePutEventsEntry(entry: PutEventsRequestEntry): EntryRefusal | undefined {
  const checked = checkPutEventsEntry(entry);
  return 'refusal' in checked ? checked.refusal : undefined;
}
